/**
 * The numbers that decide how readers' picks rank, in one place, because they were chosen
 * together by measurement (scripts/measure-picks.mjs on the tune days only, never the report
 * days) and move together: the weight of the topic profile against the words, the SVM's
 * costs, and how much a followed topic adds to the model's score. The product uses
 * PICK_SETTINGS; the measure script passes other values to indexDay (--tune) to compare, and
 * --loo tells whether a choice holds on a tune day it was not chosen on.
 *
 * Tried on the tune days (readers with topics, 10 ratings, P@5 of one-area readers 0.77 on
 * the arXiv tune days with these settings) and not kept, every change within ±0.01, and none
 * better leaving one tune day out (0.882 → 0.880 to 0.884 over all tune days):
 * - a Rocchio centroid of the "more" papers' topic profiles (minus half the "less" ones'),
 *   blended with the SVM's score at weights 0.5 to 3;
 * - closeness to the nearest one or two "more" papers, blended at 0.5 to 2;
 * - pseudo-relevance feedback from the day's best 5 or 10 papers, at 0.3 to 0.7;
 * - a followed topic's bonus scaled down when few "more" papers sit in the reader's topics
 *   (worse at 3 ratings: 0.73 → 0.66);
 * - C 0.1, 40 background papers, lessWeight 1, backgroundWeight 0.3, topicBonus 1 to 5,
 *   topicFitBonus 0 to 4, profileWeight 0.5 and 2, profileTop 1 (worse) and 5, profilePower 2,
 *   topicWeight 0.
 * What caps P@5 is not these numbers: on the tune days 76% of the wrong picks among a one-area
 * reader's first five (81% on report days) sit in the section of a topic the reader follows,
 * filed there by the grouping while the editor labelled them another area
 * (scripts/measure-picks.mjs --by-area).
 */

export interface PickSettings {
  /**
   * Weight of the section feature: a day paper's section topic; a rated paper's best topic
   * by the map (else the day's topic it is closest to). 0 and 1 measured worse than 0.5.
   */
  topicWeight: number;
  /**
   * Length of the topic profile feature: the map matcher's scores of a paper's best
   * `profileTop` topics (at least `profileMin`, raised to `profilePower`), unit length, times
   * this. Papers of one area share few words (two medical abstracts have a TF-IDF cosine of
   * 0.05) but share their topics' phrases: on arXiv tune days the profile lifts one-area
   * readers' Precision@5 at 10 ratings from 0.70 to 0.76 (0.5 to 1.5 measured alike).
   */
  profileWeight: number;
  profileTop: number;
  profileMin: number;
  profilePower: number;
  /** Background papers per day, negatives for every reader (20 and 40 measured alike; 20 costs half). */
  background: number;
  /** arxiv-sanity-lite's C (0.01 to 0.1 measured alike; 1 worse: the model is far in its regularized regime). */
  c: number;
  /**
   * Negatives weigh less than a balanced class would make them: a "less" half, a background
   * paper a tenth; with fully balanced classes the background pulls every score towards
   * "like the day's average paper" (0.25 to 1 and 0.03 to 0.3 measured alike with the profile).
   */
  lessWeight: number;
  backgroundWeight: number;
  /**
   * What a followed topic adds to a paper of it, with a model (in deviations of the model's
   * score): `topicBonus` plus `topicFitBonus` times how well the paper fits the topic (its
   * share of its topic profile, 0 to 1). With a model, 3 + 2 × fit keeps a reader's topics
   * ahead at 3 ratings, where the model knows little (two-area readers: Precision@5 0.56 with
   * 1, 0.72 with 3 + 2 × fit), and changes little at 30; at most 5, a followed phrase's bonus.
   */
  topicBonus: number;
  topicFitBonus: number;
  /**
   * Without a model, a topic's papers rank by how well they fit it (below 1: a followed
   * phrase, worth 2, still comes first): the most on-topic papers, not the first listed
   * (arXiv tune days, topics alone: Precision@5 0.66 in the day's order, 0.73 by fit).
   */
  coldFitBonus: number;
}

export const PICK_SETTINGS: Readonly<PickSettings> = Object.freeze({
  topicWeight: 0.5,
  profileWeight: 1,
  profileTop: 3,
  profileMin: 1,
  profilePower: 1,
  background: 20,
  c: 0.01,
  lessWeight: 0.5,
  backgroundWeight: 0.1,
  topicBonus: 3,
  topicFitBonus: 2,
  coldFitBonus: 0.9,
});
