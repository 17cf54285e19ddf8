/**
 * Labels a reader would not trust: a bare word that names no subject ("Kernel", "Value",
 * "Knowledge", "Consider", "Pre-Trained", "Editing") or a pair of vague words ("Success Rate",
 * "Latent Space"). Story and emerging labels come from class-based TF-IDF, which happily picks
 * such words when they are the day's rarest; every one of those labels passes this check first.
 * A label is fine when it has two or more words of which at least one says something, or is a
 * single name written with capitals inside ("KV", "RAG", "MoE", "BrowseComp"). A label that
 * reads as a verb phrase ("Fall Short", "Model Outperforms") names nothing either and is
 * refused too (is-verb-fragment.ts).
 */
import stem from 'wink-porter2-stemmer';
import { isStopWord } from './is-stop-word.js';
import { isVerbFragment } from './is-verb-fragment.js';

/** Words that name no subject on their own, whatever they are paired with. */
const VAGUE = [
  'success', 'rate', 'rates', 'value', 'values', 'knowledge', 'kernel', 'kernels', 'space', 'spaces', 'latent', 'local',
  'global', 'appearance', 'consider', 'considering', 'editing', 'edit', 'level', 'levels', 'pre', 'trained', 'information',
  'feature', 'features', 'representation', 'representations', 'data', 'language', 'languages', 'learning', 'learned',
  'test', 'time', 'token', 'tokens', 'layer', 'layers', 'context', 'contexts', 'structure', 'structures', 'control',
  'score', 'scores', 'loss', 'losses', 'error', 'errors', 'signal', 'signals', 'input', 'inputs', 'output', 'outputs',
  'process', 'processes', 'step', 'steps', 'stage', 'stages', 'scale', 'size', 'order', 'form', 'type', 'types',
  'part', 'parts', 'case', 'cases', 'example', 'examples', 'sample', 'samples', 'point', 'points', 'word', 'words',
  'sequence', 'sequences', 'domain', 'domains', 'target', 'targets', 'small', 'long', 'short', 'fine', 'grained',
  'multi', 'single', 'general', 'open', 'human', 'humans', 'user', 'users', 'information', 'content', 'unified',
  'adaptive', 'dynamic', 'hierarchical', 'joint', 'generalization', 'reasoning', 'generation', 'prediction',
  'optimization', 'inference', 'search', 'memory', 'tool', 'tools', 'agent', 'agents', 'visual', 'text',
  'object', 'objects', 'scene', 'scenes', 'online', 'offline', 'self', 'cross', 'level',
  'weight', 'weights', 'parameter', 'parameters', 'label', 'labels', 'query', 'queries', 'answer', 'answers', 'question',
  'questions', 'reward', 'rewards', 'policy', 'policies', 'action', 'actions', 'state', 'states', 'environment',
  'environments', 'trajectory', 'trajectories', 'behavior', 'behaviour', 'behaviors', 'signal', 'consistency', 'alignment',
  'accuracy', 'gain', 'gains', 'budget', 'cost', 'costs', 'speed', 'latency', 'length', 'depth', 'width', 'head', 'heads',
  'tuning', 'tuned', 'labeled', 'labelled', 'map', 'maps', 'module', 'modules', 'mechanism', 'mechanisms',
  // Praise and position, which say how a paper sees its subject, not what it is ("Powerful Tool", "Upper Bound").
  'powerful', 'novel', 'effective', 'efficient', 'simple', 'new', 'strong', 'better', 'improved', 'key', 'high', 'low',
  'upper', 'lower', 'bound', 'bounds', 'side', 'sides', 'retain',
];
/** Acronyms every ML paper uses: capitals, yet no subject ("LLM", "VLMs", "AI"). */
const GENERIC_ACRONYMS = new Set([
  'ai', 'ml', 'nlp', 'llm', 'llms', 'lm', 'lms', 'vlm', 'vlms', 'mllm', 'mllms', 'lvlm', 'lvlms', 'rl', 'dl', 'nn', 'dnn',
  'dnns', 'cnn', 'cnns', 'gpu', 'gpus', 'api', 'apis', 'sota', 'gpt', 'qa', 'cv',
]);
const VAGUE_STEMS = new Set(VAGUE.map((w) => stem(w)));
/** Words that join the words of a label and say nothing themselves. */
const JOINERS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'via', 'vs', 'with', '&']);

/**
 * Whether `part` (no hyphen) is written like a name or acronym, other than the generic ones: a
 * capital after its first letter, or letters with digits ("KV", "MoE", "BrowseComp", "xKV", "3D").
 */
function isName(part: string): boolean {
  if (GENERIC_ACRONYMS.has(part.toLowerCase())) return false;
  return /.\p{Lu}/u.test(part) || (/\d/.test(part) && /\p{L}/u.test(part));
}

/** True when `label` is a bare generic word, made only of vague ones, or a verb phrase (see the module comment). */
export function isGenericLabel(label: string): boolean {
  // Hyphenated parts count one by one: "Pre-Trained" is two vague words, "Self-Distillation" one vague, one not.
  const parts = label
    .split(/[\s-]+/)
    .filter((p) => /[\p{L}\p{N}]/u.test(p) && !JOINERS.has(p.toLowerCase()));
  if (parts.length === 0) return true;
  if (parts.length === 1) return !isName(parts[0]!);
  if (isVerbFragment(label)) return true;
  return parts.every((part) => {
    if (isName(part)) return false;
    const lower = part.toLowerCase();
    const stemmed = stem(lower);
    return GENERIC_ACRONYMS.has(lower) || VAGUE_STEMS.has(stemmed) || isStopWord(lower, stemmed) !== null;
  });
}
