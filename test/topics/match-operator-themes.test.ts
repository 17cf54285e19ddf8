import { describe, expect, it } from 'vitest';
import { matchOperatorThemes, type OperatorTheme } from '../../src/topics/match-operator-themes.js';
import { makePaper } from './helpers/digests.js';

const agents: OperatorTheme = { label: 'LLM Agents', keywords: ['agent'], phrases: ['tool use'] };
const kv: OperatorTheme = { label: 'KV Cache', keywords: [], phrases: ['kv cache'] };

describe('matchOperatorThemes', () => {
  it('matches any inflection and spelling: "agent" finds "Agents" and "agentic", "kv cache" finds "KV-Cache"', () => {
    const papers = [
      makePaper({ title: 'Web Agents with Reflection' }),
      makePaper({ title: 'Agentic Search' }),
      makePaper({ title: 'xKV: Cross-Layer SVD for KV-Cache Compression' }),
    ];
    expect(matchOperatorThemes(papers, [agents, kv]).map((m) => m.theme)).toEqual([0, 0, 1]);
  });

  it('needs the title or two mentions: one passing mention in an abstract is not enough', () => {
    const once = makePaper({ title: 'Protein Design', abstract: 'Unlike an agent, we design proteins.' });
    const twice = makePaper({ title: 'Protein Design', abstract: 'An agent designs proteins. The agent is fast.' });
    const keyword = makePaper({ title: 'Protein Design', abstract: 'Proteins.', keywords: ['tool use'] });
    expect(matchOperatorThemes([once, twice, keyword], [agents]).map((m) => m.theme)).toEqual([-1, 0, 0]);
  });

  it('does not count one mention twice through a keyword inside a phrase', () => {
    const paper = makePaper({ title: 'Vision Models', abstract: 'Results on robotic manipulation.' });
    const robotics: OperatorTheme = { label: 'Robotics', keywords: ['robot'], phrases: ['robot manipulation'] };
    expect(matchOperatorThemes([paper], [robotics])[0]!.theme).toBe(-1);
  });

  it('gives a paper to the theme it matches most, the earlier one on a tie, and lists the terms that matched', () => {
    const paper = makePaper({ title: 'Tool Use for Agents', abstract: 'The KV cache of an agent.' });
    const [match] = matchOperatorThemes([paper], [kv, agents]);
    expect(match).toEqual({ theme: 1, matched: ['agent', 'tool use'] });
    const tie = makePaper({ title: 'Agents and KV Cache' });
    expect(matchOperatorThemes([tie], [kv, agents])[0]!.theme).toBe(0);
    expect(matchOperatorThemes([tie], [agents, kv])[0]!.theme).toBe(0);
  });

  it('matches nothing without themes', () => {
    expect(matchOperatorThemes([makePaper({ title: 'Agents' })], [])).toEqual([{ theme: -1, matched: [] }]);
  });
});
