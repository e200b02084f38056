export { extractSystemEntities } from './extract.js';
export { DEFAULT_SYSTEM_ENTITY_OPTIONS, type SystemEntityOptions } from './options.js';
export { maskPii, DEFAULT_MASK_PII_OPTIONS, type MaskPiiOptions, type PiiEntityName } from './mask.js';
export { parseChineseInteger, parseEnglishNumber, parseMixedNumber } from './chinese-number.js';
export { isValidIdCard, isLuhnValid } from './detect-codes.js';
