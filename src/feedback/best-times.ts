import { localTime } from '../queue/schedule.ts';

/**
 * Best posting hours from engagement: pure functions of published posts and
 * their latest counts. Times are epoch ms; the account's time zone appears
 * only where a post's hour of the week is read.
 */

export interface EngagedPost {
  publishedAt: number;
  /** When the counts were read. */
  collectedAt: number;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number | null;
}

export interface BestTimesOptions {
  /** IANA time zone the hours are read in. */
  timeZone: string;
  /** Posts needed in an hour of the week before it is ranked. Default: 3. */
  minSamples?: number;
  /**
   * A post counts only once its counts were read at least this long after
   * publishing (young posts have not had their chance yet). Default: 24 h.
   */
  minAgeMs?: number;
  /**
   * Weight of the account's overall level in each hour's score (a Bayesian
   * average: `(sum + k × overall) / (n + k)`), so an hour with three lucky
   * posts does not beat one with thirty good ones. Default: 3.
   */
  priorWeight?: number;
}

export interface HourOfWeek {
  /** 0 = Sunday. */
  day: number;
  hour: number;
  /** "Tue 19:00". */
  label: string;
  posts: number;
  /** Mean engagement per post in this hour (likes + reposts + replies + quotes). */
  mean: number;
  /**
   * The ranking score: the mean of log(1 + engagement) of the hour's posts,
   * shrunk toward the account's. On a log scale because engagement is
   * heavy-tailed: one viral post must not make its hour (nor the account's
   * average) look like the rest.
   */
  score: number;
  /** The typical post of this hour: exp(score) − 1 interactions. */
  typical: number;
  /** typical / the account's typical post (1 = as usual, 2 = twice). */
  lift: number;
}

export interface BestTimes {
  timeZone: string;
  /** Posts old enough to count. */
  posts: number;
  /** Posts left out because their counts were read too early. */
  tooYoung: number;
  /** Mean engagement per counted post. */
  mean: number;
  /** The account's typical post: exp(mean of log(1 + engagement)) − 1. */
  typical: number;
  minSamples: number;
  /** Hours with at least `minSamples` posts, best first. */
  ranking: HourOfWeek[];
  /** Hours with posts but too few to rank. */
  sparse: { day: number; hour: number; label: string; posts: number }[];
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** One number per post: every interaction counts the same. */
export function interactions(p: Pick<EngagedPost, 'likes' | 'reposts' | 'replies' | 'quotes'>): number {
  return p.likes + p.reposts + p.replies + (p.quotes ?? 0);
}

function label(day: number, hour: number): string {
  return `${DAYS[day]} ${String(hour).padStart(2, '0')}:00`;
}

/** Ranks the hours of the week by engagement of the posts published in them. */
export function bestTimes(posts: readonly EngagedPost[], options: BestTimesOptions): BestTimes {
  const minSamples = options.minSamples ?? 3;
  const minAgeMs = options.minAgeMs ?? 24 * 3_600_000;
  const k = options.priorWeight ?? 3;
  if (!Number.isInteger(minSamples) || minSamples < 1)
    throw new Error(`minSamples: expected a whole number of at least 1, got ${minSamples}`);
  const counted = posts.filter((p) => p.collectedAt - p.publishedAt >= minAgeMs);
  const total = counted.reduce((s, p) => s + interactions(p), 0);
  const mean = counted.length > 0 ? total / counted.length : 0;
  const logMean =
    counted.length > 0 ? counted.reduce((s, p) => s + Math.log1p(interactions(p)), 0) / counted.length : 0;
  const typical = Math.expm1(logMean);
  const buckets = new Map<number, { day: number; hour: number; n: number; sum: number; logSum: number }>();
  for (const p of counted) {
    const { day, minute } = localTime(p.publishedAt, options.timeZone);
    const hour = Math.floor(minute / 60);
    const key = day * 24 + hour;
    const b = buckets.get(key) ?? { day, hour, n: 0, sum: 0, logSum: 0 };
    b.n++;
    b.sum += interactions(p);
    b.logSum += Math.log1p(interactions(p));
    buckets.set(key, b);
  }
  const ranking: HourOfWeek[] = [];
  const sparse: BestTimes['sparse'] = [];
  for (const b of [...buckets.values()].sort((x, y) => x.day * 24 + x.hour - (y.day * 24 + y.hour))) {
    if (b.n < minSamples) {
      sparse.push({ day: b.day, hour: b.hour, label: label(b.day, b.hour), posts: b.n });
      continue;
    }
    const score = (b.logSum + k * logMean) / (b.n + k);
    ranking.push({
      day: b.day,
      hour: b.hour,
      label: label(b.day, b.hour),
      posts: b.n,
      mean: b.sum / b.n,
      score,
      typical: Math.expm1(score),
      lift: typical > 0 ? Math.expm1(score) / typical : 1,
    });
  }
  ranking.sort(
    (x, y) => y.score - x.score || y.posts - x.posts || x.day * 24 + x.hour - (y.day * 24 + y.hour),
  );
  return {
    timeZone: options.timeZone,
    posts: counted.length,
    tooYoung: posts.length - counted.length,
    mean,
    typical,
    minSamples,
    ranking,
    sparse,
  };
}

export interface DayEngagement {
  /** YYYY-MM-DD in the time zone. */
  day: string;
  posts: number;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(at: number, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(at);
}

/**
 * Engagement per day of publishing (in the time zone): posts published that
 * day and the sum of their latest counts, oldest day first.
 */
export function engagementByDay(
  posts: readonly Omit<EngagedPost, 'collectedAt'>[],
  timeZone: string,
): DayEngagement[] {
  const days = new Map<string, DayEngagement>();
  for (const p of posts) {
    const day = localDay(p.publishedAt, timeZone);
    const d = days.get(day) ?? { day, posts: 0, likes: 0, reposts: 0, replies: 0, quotes: 0 };
    d.posts++;
    d.likes += p.likes;
    d.reposts += p.reposts;
    d.replies += p.replies;
    d.quotes += p.quotes ?? 0;
    days.set(day, d);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}
