/**
 * The pipeline's shared vocabulary (see docs/CONTEXT.md). Every stage is a function
 * from one of these to the next: Digest → ThemedDigest → Issue → Delivery.
 */

/** One paper as paperpost normalizes it, whatever the source format. */
export interface Paper {
  /** arXiv id without version suffix where known, else a stable slug of the title. */
  id: string;
  /** Whitespace-normalized, otherwise exact (unicode and TeX as written). Untrusted. */
  title: string;
  /** Whitespace-normalized abstract ('' when the source has none). Untrusted. */
  abstract: string;
  /** A one-sentence TL;DR from the source (e.g. Hugging Face's ai_summary), else null. */
  summary: string | null;
  /** Author names as listed (may be fewer than authorCount, or empty). */
  authors: string[];
  /** How many authors the paper has, where the source says; null when unknown. */
  authorCount: number | null;
  /** YYYY-MM-DD, or null when unknown. */
  publishedAt: string | null;
  /** Upvotes on the source site, null when the source has no such count. */
  upvotes: number | null;
  /** The paper's page (http or https), or null. */
  url: string | null;
  /** Link to code (usually GitHub), or null. */
  codeUrl: string | null;
  /** Keywords the source attaches (e.g. ai_keywords); [] when none. */
  keywords: string[];
}

/** The input of one run: a day's list of trending papers. */
export interface Digest {
  /** YYYY-MM-DD the digest is for, or null when it cannot be told. */
  date: string | null;
  /** Where it was read from: a path, URL, 'stdin' or 'hf:DATE'. */
  source: string;
  papers: Paper[];
}

/** A problem with one entry of a digest that did not stop the rest from loading. */
export interface IngestWarning {
  /** Where: "file.txt:12" or "file.json $[3].paper.title". */
  position: string;
  message: string;
}

/** A named group of papers in an issue. */
export interface Theme {
  /** Stable slug of the label, unique within an issue. */
  id: string;
  /** What a reader sees: at most 4 words, Title Case. */
  label: string;
  /** The phrases that made this theme, most distinctive first. */
  keywords: string[];
  /** True for the single catch-all theme ("More trending papers"), which comes last. */
  other: boolean;
  /** Best first: by upvotes, then date. */
  papers: Paper[];
  /**
   * What kind of section this is (topic map, issue #12): a topic of content/topics.yml (`id`
   * is then the topic's stable id), an emerging cluster of papers no topic fits, or the
   * catch-all. Absent on themes made by groupPapers.
   */
  kind?: 'topic' | 'emerging' | 'other';
  /**
   * Groups of papers on the same thing inside a section ("KV Cache Compression · 6"), biggest
   * first: a label of two words or more (or a name), and paper ids in reading order. Papers on
   * their own are in no story. Absent on themes made by groupPapers.
   */
  stories?: { label: string; papers: string[] }[];
  /**
   * Why each paper is where it is in `papers` (issue #21: ranking without upvotes), in the same
   * order (topics/rank-papers.ts). Absent on themes made by groupPapers.
   */
  ranking?: PaperRank[];
}

/** One paper's place in its section and the parts that decided it (`themes --json`). */
export interface PaperRank {
  paper: string;
  /** 1 for the first paper of the section. */
  position: number;
  /** The source's upvotes; null when it has none (arXiv). Ranked first, null as 0. */
  upvotes: number | null;
  /** Papers of the section on the same thing that day, this one included (1: on its own). */
  storySize: number;
  /** A code link was released. */
  code: boolean;
  /** The first of these on which it differs from the next paper (or "last"). */
  decidedBy: 'upvotes' | 'story' | 'code' | 'tie-break' | 'last';
  /** The parts in words: "no upvotes, story of 4 papers, code released". */
  why: string;
}

/** The output of the group stage: a digest's papers, each in exactly one theme. */
export interface ThemedDigest {
  date: string | null;
  source: string;
  themes: Theme[];
}

/** Subscriber lifecycle states. Only `active` subscribers receive issues. */
export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained';

/** A day of the week, as a weekly reader chooses it (ISO order: Monday first). */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * How often a subscriber gets an issue (docs/CONTEXT.md: cadence): every daily issue, or the
 * weekly issue on their weekday. Parsed and explained by subscribers/cadence.ts.
 */
export type Cadence = 'daily' | `weekly:${Weekday}`;

/** A person on the list. */
export interface Subscriber {
  id: number;
  /** Validated; the domain is lowercased; unique. */
  email: string;
  name: string | null;
  status: SubscriberStatus;
  /** Theme labels the subscriber follows; null means all. */
  themes: string[] | null;
  /** Daily or weekly on a weekday; the stores always set it, absent (a reader built in memory) means daily. */
  cadence?: Cadence;
  createdAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}

/** One rendered newsletter, the same for every subscriber before personalisation. */
export interface Issue {
  /** The digest date, YYYY-MM-DD: an issue's identity. */
  id: string;
  subject: string;
  preheader: string;
  themes: Theme[];
}

/** Ledger states of one delivery. `sent` means the SMTP server accepted it (250). */
export type DeliveryStatus = 'queued' | 'sent' | 'deferred' | 'failed';

/** One message to one subscriber, as recorded in the ledger. */
export interface Delivery {
  issueId: string;
  subscriberId: number;
  status: DeliveryStatus;
  attempts: number;
  /** The Message-ID header, stable per (issue, subscriber). */
  messageId: string;
  /** The server's last reply, or the error that stopped the attempt. */
  response: string | null;
  updatedAt: string;
}
