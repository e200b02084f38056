// Minimal types for the parts of NLP.js v4 the side-by-side bench uses (the packages ship none).
declare module '@nlpjs/basic' {
  export interface NlpClassification {
    readonly intent: string;
    readonly score: number;
  }
  export interface NlpResult {
    readonly intent: string;
    readonly score: number;
    readonly classifications?: readonly NlpClassification[];
  }
  export interface Nlp {
    settings: Record<string, unknown>;
    addLanguage(locales: string | readonly string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
    export(minified?: boolean): string;
  }
  export interface NlpContainer {
    use(plugin: unknown): unknown;
    registerConfiguration(name: string, settings: Record<string, unknown>, overwrite?: boolean): void;
    get(name: 'nlp'): Nlp;
  }
  export const Nlp: unknown;
  export function containerBootstrap(settings?: Record<string, unknown>, mustLoadEnv?: boolean): NlpContainer;
}
declare module '@nlpjs/lang-zh' {
  export const LangZh: unknown;
}
declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
