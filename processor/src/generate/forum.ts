import type { Random } from './random.ts';

export interface ForumThread {
  id: string;
  commentableId: string;
  title: string;
  author: string;
  threadType: 'discussion' | 'question';
}

const THREAD_TITLES = [
  'Introduce yourself!',
  'Why divide by n - 1 for the sample variance?',
  'Confused about conditional probability',
  'Is the median always better than the mean?',
  'Study group for the final exam',
  'Video 3 has no sound after minute 4',
  'How do I read a box plot?',
  'Central limit theorem with small samples',
  'Problem set 2, question 3: rounding?',
  'Great explanation of p-values',
  'What does 95% confidence actually mean?',
  'Resources for learning R alongside the course',
];

/**
 * The course forum: threads created on a day become visible to readers from the next day on,
 * so that nobody reads a thread before it exists, whatever order learners are simulated in.
 */
export class ForumBoard {
  private readonly visible: ForumThread[] = [];
  private readonly createdToday: ForumThread[] = [];

  constructor(
    private readonly topics: readonly string[],
    random: Random,
    author: string,
  ) {
    for (const title of THREAD_TITLES.slice(0, 3)) {
      this.visible.push(this.newThread(random, title, author));
    }
  }

  threads(): readonly ForumThread[] {
    return this.visible;
  }

  create(random: Random, author: string): ForumThread {
    const thread = this.newThread(random, random.pick(THREAD_TITLES), author);
    this.createdToday.push(thread);
    return thread;
  }

  endDay(): void {
    this.visible.push(...this.createdToday);
    this.createdToday.length = 0;
  }

  private newThread(random: Random, title: string, author: string): ForumThread {
    return {
      id: random.hex(24),
      commentableId: random.pick(this.topics),
      title,
      author,
      threadType: title.endsWith('?') ? 'question' : 'discussion',
    };
  }
}
