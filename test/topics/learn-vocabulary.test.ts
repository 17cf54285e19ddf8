import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { LEARNED_WEIGHT_CAP } from '../../src/topics/build-topic-matcher.js';
import { explainTopics } from '../../src/topics/explain-topics.js';
import { learnVocabulary, type PastAssignment } from '../../src/topics/learn-vocabulary.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import { makeDigest, makePaper, ROOT, shuffle } from './helpers/digests.js';

const map = loadTopicMap(path.join(ROOT, 'content/topics.yml'));

/** Earlier issues: deep-research agents measured on BrowseComp, and papers of two other topics. */
const history: PastAssignment[] = [
  { topicId: 'llm-agents', title: 'DeepDive: Web Agents for Hard Questions', keywords: ['web agent', 'BrowseComp'], abstract: 'Our agent browses the web and reaches 40% on BrowseComp, a benchmark of hard-to-find facts.' },
  { topicId: 'llm-agents', title: 'Long-Horizon Search Agents with Memory', keywords: ['search agent', 'BrowseComp'], abstract: 'Search agents that keep notes improve BrowseComp accuracy by 12 points.' },
  { topicId: 'llm-agents', title: 'WebExplorer: Exploration for Deep Research', keywords: ['deep research'], abstract: 'We train a deep research agent and evaluate on BrowseComp and GAIA.' },
  { topicId: 'llm-agents', title: 'Tool-Calling Agents at Scale', keywords: ['tool calling'], abstract: 'Agents call tools; results on BrowseComp-Plus and GAIA show gains.' },
  { topicId: 'efficient-inference', title: 'Faster Speculative Decoding', keywords: ['speculative decoding'], abstract: 'A draft model proposes tokens that the target verifies, on MT-Bench.' },
  { topicId: 'efficient-inference', title: 'KV Cache Eviction for Long Context', keywords: ['kv cache'], abstract: 'We evict cache entries and keep accuracy on LongBench.' },
  { topicId: 'speech-audio', title: 'Streaming Speech Recognition', keywords: ['ASR'], abstract: 'A streaming ASR model with low word error rate on LibriSpeech.' },
  { topicId: 'speech-audio', title: 'Expressive Text-to-Speech', keywords: ['TTS'], abstract: 'Prosody control for TTS evaluated on LibriSpeech.' },
];

describe('learnVocabulary', () => {
  const learned = learnVocabulary(history);

  it('learns the distinctive names of each topic, capped below every shipped phrase', () => {
    const agents = learned.get('llm-agents')!;
    expect(agents.get('BrowseComp')).toBe(LEARNED_WEIGHT_CAP);
    expect(agents.has('GAIA')).toBe(true);
    expect(learned.get('speech-audio')!.has('LibriSpeech')).toBe(true);
    for (const terms of learned.values()) {
      for (const w of terms.values()) {
        expect(w).toBeGreaterThan(0);
        expect(w).toBeLessThanOrEqual(LEARNED_WEIGHT_CAP);
      }
    }
    // A word of one paper only is no name yet; generic words are never learned.
    expect(agents.has('DeepDive')).toBe(false);
    expect(agents.has('model')).toBe(false);
  });

  it('is pure: the same vocabulary whatever the order of the history', () => {
    const again = learnVocabulary(shuffle(history, 7));
    expect([...again].map(([id, terms]) => [id, [...terms]])).toEqual([...learned].map(([id, terms]) => [id, [...terms]]));
    expect(learnVocabulary([])).toEqual(new Map());
  });

  it('pulls a paper that has no shipped phrase, only the new name "BrowseComp", into the right topic', () => {
    const newcomer = makePaper({
      id: '2601.00001',
      title: 'SearchR: Beating BrowseComp with Iterative Query Planning',
      keywords: ['BrowseComp', 'query planning'],
      abstract: 'We plan queries iteratively and set a new state of the art on BrowseComp.',
    });
    const day = makeDigest([
      newcomer,
      makePaper({ id: '2601.00002', title: 'GUI Agents That Remember', abstract: 'A GUI agent with memory for long-horizon tasks.' }),
      makePaper({ id: '2601.00003', title: 'Web Agents in the Wild', abstract: 'Web agents browse real sites.' }),
      makePaper({ id: '2601.00004', title: 'Streaming ASR for Meetings', abstract: 'Speech recognition with speaker diarization.' }),
      makePaper({ id: '2601.00005', title: 'Low-Latency Text-to-Speech', abstract: 'A TTS model for voice assistants.' }),
    ]);
    const sectionOf = (themed: ReturnType<typeof assignTopics>) => themed.themes.find((t) => t.papers.some((p) => p.id === newcomer.id))!;
    expect(explainTopics(newcomer, map).best).toBeNull();
    expect(sectionOf(assignTopics(day, { map })).kind).toBe('other');
    const withLearned = sectionOf(assignTopics(day, { map, learned }));
    expect(withLearned.id).toBe('llm-agents');
    const why = explainTopics(newcomer, map, { learned });
    expect(why.best).toBe('llm-agents');
    expect(why.candidates[0]!.matches[0]).toMatchObject({ term: 'BrowseComp', learned: true });
  });
});
