/**
 * Two tiers of words that must not make a theme on their own. General English stop words
 * (english-stop-words.ts: the `stopword` package's list plus a few it lacks) break phrases: "cache of the model" holds
 * no bigram. The generic vocabulary of ML abstracts ("model", "propose", "results") is weaker:
 * such a word is no feature by itself and cannot start a phrase, but it may sit inside one, so
 * that "world model" or "kernel methods" survive while "proposed method" does not.
 */
import { englishStopWords } from './english-stop-words.js';
import stem from 'wink-porter2-stemmer';

/** Words so common in ML abstracts that they say nothing about a paper's topic. */
const GENERIC_ML = [
  'model', 'models', 'modeling', 'modelling', 'method', 'methods', 'methodology', 'approach', 'approaches',
  'framework', 'frameworks', 'technique', 'techniques', 'strategy', 'strategies', 'algorithm', 'algorithms',
  'system', 'systems', 'architecture', 'architectures', 'propose', 'proposed', 'proposes', 'present',
  'presents', 'presented', 'introduce', 'introduces', 'introduced', 'result', 'results', 'performance',
  'perform', 'performs', 'performing', 'experiment', 'experiments', 'experimental', 'experimentally',
  'empirical', 'empirically', 'extensive', 'extensively', 'comprehensive', 'demonstrate', 'demonstrates',
  'show', 'shows', 'shown', 'achieve', 'achieves', 'achieving', 'outperform', 'outperforms', 'outperforming',
  'state', 'art', 'sota', 'novel', 'new', 'paper', 'work', 'works', 'study', 'studies', 'task', 'tasks',
  'dataset', 'datasets', 'benchmark', 'benchmarks', 'significant', 'significantly', 'effective',
  'effectively', 'effectiveness', 'efficient', 'efficiently', 'efficiency', 'improve', 'improves', 'improved',
  'improving', 'improvement', 'improvements', 'existing', 'previous', 'prior', 'recent', 'recently', 'various',
  'different', 'based', 'using', 'use', 'uses', 'used', 'problem', 'problems', 'challenge', 'challenges',
  'challenging', 'issue', 'issues', 'address', 'addresses', 'key', 'important', 'available',
  'publicly', 'github', 'https', 'http', 'com', 'www', 'org', 'io', 'source', 'release', 'released',
  'large', 'deep', 'neural', 'network', 'networks', 'accuracy', 'quality', 'capability',
  'capabilities', 'ability', 'abilities', 'downstream', 'baseline', 'baselines', 'superior', 'leading',
  'evaluate', 'evaluated', 'evaluation', 'evaluations', 'analysis', 'analyze', 'training', 'train', 'trained',
  'leverage', 'leverages', 'leveraging', 'enable', 'enables', 'enabling',
  'provide', 'provides', 'providing', 'high', 'better', 'best', 'strong', 'stronger', 'simple',
  'popular', 'widely', 'common', 'commonly', 'practical', 'real', 'wide', 'range', 'variety',
  'number', 'set', 'sets', 'way', 'ways', 'aim', 'aims', 'goal', 'findings', 'find', 'found', 'observe',
  'observed', 'investigate', 'investigates', 'explore', 'explores', 'explored', 'develop', 'developed',
  'remain', 'remains', 'limited', 'limitation', 'limitations', 'lack', 'require', 'requires', 'required',
  'application', 'applications', 'applied', 'apply', 'setting', 'settings', 'scenario', 'scenarios',
  'gap', 'crucial', 'critical', 'fundamental', 'promising', 'potential', 'substantial', 'substantially',
  'notable', 'notably', 'remarkable', 'remarkably', 'competitive', 'robust', 'robustness', 'across',
  'multiple', 'diverse', 'specific', 'particular', 'certain', 'respectively', 'compared', 'compare',
  'comparison', 'consistently', 'consistent', 'effect', 'effects', 'impact', 'role', 'insight', 'insights',
  'understanding', 'understand', 'towards', 'increasingly', 'growing', 'rapidly', 'rapid', 'surpassing',
  'surpasses', 'exhibit', 'exhibits', 'reveal', 'reveals', 'suggest', 'suggests', 'conduct', 'conducted',
  'designed', 'design', 'zero', 'shot', 'few', 'end', 'called', 'named', 'termed', 'called', 'including', 'include', 'includes',
];

// Function words are matched as written: their stems would catch content words ("generally"
// → "general" would take "generalization" with it). Generic ML words are matched by stem too,
// so every inflection of "propose" or "evaluate" goes.
const ENGLISH = englishStopWords();
const GENERIC = new Set(GENERIC_ML.flatMap((w) => [w, stem(w)]));

/** Stop-word tier of a lowercase word and its stem: 'english', 'generic' (ML filler) or null. */
export function isStopWord(lower: string, stemmed = stem(lower)): 'english' | 'generic' | null {
  if (ENGLISH.has(lower)) return 'english';
  if (GENERIC.has(lower) || GENERIC.has(stemmed)) return 'generic';
  return null;
}
