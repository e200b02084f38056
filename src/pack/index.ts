export { parseAnnotated, type AnnotatedSpan, type AnnotationProblem, type ParsedAnnotation } from './annotate.js';
export { loadPack, readPackSources, validatePackSources, type PackSource, type PackValidation } from './load.js';
export { lintPack, DEFAULT_LINT_OPTIONS, type LintOptions } from './lint.js';
export { packJsonSchema } from './schema.js';
export {
  SYSTEM_ENTITIES,
  type SystemEntityName,
  type Pack,
  type PackIssue,
  type PackIssueCode,
  type PackTest,
  type Intent,
  type Example,
  type EntityDef,
  type DictionaryValue,
  type FaqEntry,
  type FaqMatchMode,
  type ResponseTemplate,
  type SourceLocation,
  type FlowDef,
  type FlowOutcome,
  type SlotDef,
  type SlotValidation,
  type ReplyRef,
  type DialoguePolicyDef,
  type HandoffPolicyDef,
  type ServiceHoursDef,
  type Conversation,
  type ConversationTurn,
  type ConversationNlu,
  type ConversationExpect,
} from './types.js';
