export * from './store/index.js';
export {
  createFlowSet,
  defineFlow,
  flowSetFromPack,
  DEFAULT_DIALOGUE_POLICY,
  type CreateFlowSetOptions,
  type DialoguePolicyInput,
  type FlowInput,
  type SlotInput,
} from './define.js';
export { transition, DEFAULT_REPLIES } from './transition.js';
export { initialState, isDialogueState } from './state.js';
export { renderTemplate, resolveReply, type TemplateVars } from './template.js';
export { maskEntities, maskValue } from './mask.js';
export { isWithinServiceHours } from './hours.js';
export type {
  AgentSummary,
  DialogueEffect,
  DialogueEvent,
  DialoguePolicy,
  DialogueState,
  DialogueUser,
  FlowFrame,
  FlowSet,
  FlowStep,
  HistoryTurn,
  Nlu,
  NluEmotion,
  NluFaq,
  NluIntent,
  SeenEntity,
  SlotValue,
  Transition,
} from './types.js';
export { createBot, type ActionHandler, type ActionInput, type ActionResult, type Bot, type BotReply, type CreateBotOptions, type HandleOptions } from './bot.js';
export { createPackNlu, type NluContext, type NluFunction, type PackNluOptions } from './nlu.js';
export { runConversation, pinnedNlu, DEFAULT_CONVERSATION_START, type ConversationResult, type ConversationTurnResult, type RunConversationOptions } from './conversation.js';
export type { TurnDecision, TurnLogEvent, TurnLogSink } from './log-event.js';
