/**
 * A sentence encoder. `id` names the model and its settings (recorded by indexes and intent models so a mismatched
 * embedder is refused on load); `dim` is the vector length. Vectors are L2-normalised unless the embedder says
 * otherwise. `embed` keeps input order; `dispose` frees native resources and is safe to call twice.
 */
export interface Embedder {
  readonly id: string;
  readonly dim: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * Vectors for search queries, for models that embed a query differently from the texts it is matched against (bge
   * prepends a retrieval instruction). Optional: when absent, use `embed` for queries too.
   */
  embedQueries?(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
