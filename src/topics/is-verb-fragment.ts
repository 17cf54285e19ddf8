/**
 * Labels that say something happens instead of naming a thing (issue #21): "Fall Short",
 * "Model Outperforms", "Remains Fragmented", "Rethinking Attention", "Effectively". Class-based
 * TF-IDF picks such runs when a story's papers share a title clause, and a reader cannot tell
 * what the story is about. A story or section label must be a noun phrase: its head (last word)
 * a noun, no finite verb inside, no leading verb of a title's rhetoric.
 *
 * There is no part-of-speech model here (none is needed for a two- or three-word label): a
 * label is refused when
 * 1. its last word is an adverb (-ally, -ively, -ously, …), one of the adjectives and
 *    particles that end verb phrases ("short", "better", "apart", "robust"), or an adjective by
 *    its ending (-al, -ic, -ive, -ous: "Cross-Lingual", "Nonlinear Additive"), which heads no
 *    noun phrase either;
 * 2. its last word is a past participle (-ed), which heads no noun phrase ("Fragmented",
 *    "Self-Supervised"), except the few nouns in -ed ("Speed", "Seed");
 * 3. one of its words is a finite verb of the kind titles use ("outperforms", "remains",
 *    "fails", "fall", "meets"), or it starts with a title's verb ("Rethinking", "Towards").
 * Hyphenated parts count one by one ("Fine-Tuned" ends in "tuned").
 */

const ADVERB_SUFFIX = /(ally|ively|ously|ently|antly|edly|ingly|fully|ably|ibly|arly|ssly)$/;
/** Adjectives, adverbs and particles that end verb phrases, never a noun phrase's head. */
const NON_HEADS = new Set([
  'short', 'well', 'better', 'best', 'worse', 'worst', 'alone', 'together', 'again', 'away', 'apart', 'ahead', 'behind',
  'more', 'less', 'much', 'enough', 'only', 'still', 'even', 'also', 'already', 'too', 'very', 'yet', 'fast', 'faster',
  'hard', 'harder', 'far', 'right', 'wrong', 'robust', 'efficient', 'effective', 'scalable', 'possible', 'necessary',
  'simple', 'novel', 'new', 'safe', 'safer', 'reliable', 'accurate', 'optimal', 'difficult', 'useful', 'same',
  'different', 'free', 'aware', 'able', 'unable', 'off', 'out', 'up', 'down', 'back', 'forward', 'everywhere',
  'anywhere', 'nowhere', 'instead', 'first', 'twice', 'once', 'beyond', 'alike', 'inside', 'outside',
]);
/**
 * Endings of adjectives: a label whose last word is one names no thing, only what kind of thing
 * ("Cross-Lingual", "Spatio-Temporal", "Nonlinear Additive", "Cross-Domain Sequential"), with
 * the nouns that share the endings (NOUNS_LIKE_ADJECTIVES) let through.
 */
const ADJECTIVE_SUFFIX = /(al|ic|ive|ous)$/;
const NOUNS_LIKE_ADJECTIVES = new Set([
  'retrieval', 'removal', 'proposal', 'approval', 'arrival', 'survival', 'rival', 'signal', 'interval', 'tutorial',
  'potential', 'material', 'terminal', 'animal', 'mammal', 'hospital', 'capital', 'trial', 'goal', 'portal', 'journal',
  'manual', 'total', 'integral', 'differential', 'residual', 'spiral', 'fractal', 'crystal', 'metal', 'festival',
  'ritual', 'individual', 'principal', 'criminal', 'denial', 'dial', 'canal', 'rental', 'referral', 'recital',
  'metric', 'logic', 'topic', 'music', 'clinic', 'graphic', 'rubric', 'arithmetic', 'heuristic', 'traffic', 'critic',
  'epidemic', 'pandemic', 'public', 'mechanic', 'diagnostic', 'characteristic', 'statistic', 'analytic', 'republic',
  'rhetoric', 'fabric', 'mosaic', 'panic', 'tactic', 'relic', 'cosmic',
  'objective', 'incentive', 'narrative', 'perspective', 'derivative', 'alternative', 'primitive', 'directive',
  'detective', 'initiative', 'representative', 'relative', 'executive', 'adjective', 'motive', 'archive', 'olive',
]);
/** Nouns that end in -ed. */
const NOUNS_IN_ED = new Set(['speed', 'seed', 'need', 'feed', 'bed', 'red', 'shed', 'breed', 'weed', 'creed', 'reed', 'greed']);
/** Finite verbs of paper titles and abstracts ("X Outperforms Y", "LLMs Fall Short"). */
const FINITE_VERBS = new Set([
  'fall', 'falls', 'fail', 'fails', 'remain', 'remains', 'incorporate', 'incorporates', 'outperform', 'outperforms',
  'improve', 'improves', 'enable', 'enables', 'reveal', 'reveals', 'matter', 'matters', 'help', 'helps', 'meet', 'meets',
  'beat', 'beats', 'yield', 'yields', 'achieve', 'achieves', 'show', 'shows', 'provide', 'provides', 'require',
  'requires', 'reduce', 'reduces', 'allow', 'allows', 'become', 'becomes', 'hold', 'holds', 'make', 'makes', 'bring',
  'brings', 'go', 'goes', 'get', 'gets', 'take', 'takes', 'give', 'gives', 'find', 'finds', 'see', 'sees', 'know',
  'knows', 'think', 'thinks', 'seem', 'seems', 'lack', 'lacks', 'suffer', 'suffers', 'struggle', 'struggles', 'emerge',
  'emerges', 'exist', 'exists', 'depend', 'depends', 'differ', 'differs', 'surpass', 'surpasses', 'unlock', 'unlocks',
  'unleash', 'unleashes', 'outweigh', 'outweighs', 'lies', 'lie', 'fits', 'needs', 'leads', 'works', 'scales',
  'generalize', 'generalizes', 'generalise', 'generalises', 'collapse', 'collapses', 'persist', 'persists', 'hurts',
  'hurt', 'fools', 'breaks', 'stays', 'stay', 'says', 'tell', 'tells', 'deceive', 'deceives', 'cheat', 'cheats',
  'forget', 'forgets', 'rely', 'relies', 'behave', 'behaves', 'perform', 'performs', 'underperform', 'underperforms',
  'succeed', 'succeeds', 'contribute', 'contributes', 'predict', 'predicts', 'boosts', 'improving', 'enhancing',
]);
/** Verbs that open a title's rhetoric ("Rethinking X", "Towards Y", "Leveraging Z"). */
const LEADING_VERBS = new Set([
  'rethinking', 'revisiting', 'exploring', 'leveraging', 'improving', 'enhancing', 'unlocking', 'boosting', 'bridging',
  'towards', 'toward', 'making', 'mitigating', 'unleashing', 'harnessing', 'taming', 'teaching', 'using', 'beyond',
  'rethink', 'revisit', 'demystifying', 'unveiling', 'uncovering', 'advancing', 'empowering',
  'addressing', 'tackling', 'achieving', 'enabling', 'reducing', 'overcoming', 'mind', 'do', 'does', 'can', 'should',
]);

/** True when `label` reads as a verb phrase rather than the name of a thing (see the module comment). */
export function isVerbFragment(label: string): boolean {
  const words = label
    .toLowerCase()
    .split(/[\s-]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}']/gu, ''))
    .filter((w) => w !== '');
  if (words.length === 0) return false;
  const head = words[words.length - 1]!;
  if (head.length > 4 && ADVERB_SUFFIX.test(head)) return true;
  if (NON_HEADS.has(head)) return true;
  if (head.length > 4 && ADJECTIVE_SUFFIX.test(head) && !NOUNS_LIKE_ADJECTIVES.has(head)) return true;
  if (head.length > 4 && head.endsWith('ed') && !NOUNS_IN_ED.has(head)) return true;
  if (LEADING_VERBS.has(words[0]!)) return true;
  return words.some((w) => FINITE_VERBS.has(w));
}
