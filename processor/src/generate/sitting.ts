import type { Component, Course, Sequential, Unit } from './course.ts';
import type { EventFactory, EventRecord, Json, ModuleContext } from './events.ts';
import type { ForumBoard, ForumThread } from './forum.ts';
import { type Person, visibleComponents } from './population.ts';
import type { Random } from './random.ts';
import {
  LMS_BASE_URL,
  STUDIO_HOST,
  UNIT_IFRAME_GET,
  coursePath,
  handlerPath,
  jumpToUrl,
  mfeHomeUrl,
  mfeProgressUrl,
  mfeSequenceUrl,
  mfeUnitUrl,
  xblockIframeUrl,
} from './site.ts';
import { VideoPlayback, formatSpeed } from './video.ts';

export interface EventSink {
  push(record: EventRecord): void;
}

/** What every sitting shares: the course, the event builder, the forum and where events go. */
export interface World {
  course: Course;
  factory: EventFactory;
  forum: ForumBoard;
  sink: EventSink;
}

const SECOND = 1_000_000;

const INSTRUCTOR_API_CALLS = [
  'list_course_role_members',
  'get_students_features',
  'list_instructor_tasks',
  'get_problem_responses',
  'list_report_downloads',
  'get_grading_config',
  'get_student_progress_url',
  'show_student_extensions',
];

const EXTERNAL_LINKS = [
  'https://en.wikipedia.org/wiki/Standard_deviation',
  'https://www.khanacademy.org/math/statistics-probability',
  'https://seeing-theory.brown.edu/',
  'https://www.r-project.org/',
];

/**
 * One person's sitting at the computer: a time cursor that moves forward as they read, watch,
 * answer and navigate, emitting the events a Tutor LMS with the Learning MFE would log.
 */
export class Sitting {
  private now: number;
  private page: string;

  constructor(
    private readonly world: World,
    private readonly person: Person,
    start: number,
  ) {
    this.now = start;
    this.page = `${LMS_BASE_URL}/dashboard`;
  }

  get time(): number {
    return this.now;
  }

  private get random(): Random {
    return this.person.random;
  }

  private get course(): Course {
    return this.world.course;
  }

  // Sessions a learner can have.

  /** Works on through the course from where the learner left off. */
  study(): void {
    const persona = this.person.persona;
    const unitCount = this.random.int(...persona.unitsPerSession);
    const breakAfter = this.random.chance(persona.breakChance)
      ? this.random.int(0, unitCount - 2)
      : -1;
    this.workThrough(this.arrive(), unitCount, false, breakAfter);
    this.maybeVisitExtras(0.12, 0.08);
    this.maybeClosePage();
  }

  /** After the end of the course: goes back to some earlier sequential and rewatches or redoes. */
  review(): void {
    this.arriveAtHome();
    const unit = this.selectFromOutline(this.pickReviewSequential());
    this.workThrough(unit, this.random.int(...this.person.persona.unitsPerSession), true, -1);
    this.maybeVisitExtras(0.25, 0.2);
    this.maybeClosePage();
  }

  /** A quick look at the course home and the progress page. */
  peek(): void {
    this.arriveAtHome();
    this.visitProgress();
    this.maybeClosePage();
  }

  forumOnly(): void {
    this.arriveAtHome();
    this.visitForum();
    this.maybeClosePage();
  }

  /** Enrolls from the course about page. */
  enrollSelf(): void {
    const aboutPath = coursePath(this.course.courseId, 'about');
    this.request(aboutPath, `${LMS_BASE_URL}/courses`);
    this.wait(this.random.between(10, 90));
    this.emitEnrollment(
      'edx.course.enrollment.activated',
      '/change_enrollment',
      `${LMS_BASE_URL}${aboutPath}`,
      this.person,
    );
    this.wait(this.random.between(2, 20));
  }

  /** Leaves the course from the learner dashboard. */
  unenroll(): void {
    this.emitEnrollment(
      'edx.course.enrollment.deactivated',
      '/change_enrollment',
      `${LMS_BASE_URL}/dashboard`,
      this.person,
    );
  }

  /** A staff member enrolls a learner from the instructor dashboard: the event is the staff's. */
  enrollLearner(learner: Person): void {
    const path = coursePath(this.course.courseId, 'instructor/api/students_update_enrollment');
    const referer = `${LMS_BASE_URL}${coursePath(this.course.courseId, 'instructor')}`;
    const post = {
      identifiers: [`${learner.actor.username}@example.org`],
      action: ['enroll'],
      auto_enroll: ['true'],
      email_students: ['true'],
    };
    this.request(path, referer, {}, post);
    this.latency();
    this.emitEnrollment('edx.course.enrollment.activated', path, referer, learner);
  }

  // Sessions of course staff.

  /** The instructor dashboard and its API, then some courseware or forum moderation. */
  teach(): void {
    const courseId = this.course.courseId;
    const dashboard = `${LMS_BASE_URL}${coursePath(courseId, 'instructor')}`;
    this.request(coursePath(courseId, 'instructor'), mfeHomeUrl(courseId));
    this.page = `${dashboard}#view-course-info`;
    const calls = this.random.int(1, 4);
    for (let i = 0; i < calls; i++) {
      this.wait(this.random.between(4, 90));
      const call = this.random.pick(INSTRUCTOR_API_CALLS);
      this.request(coursePath(courseId, `instructor/api/${call}`), dashboard, {}, {});
    }
    if (this.random.chance(0.5)) this.browseCourseware();
    if (this.random.chance(0.3)) this.visitForum();
  }

  /** Edits the course in Studio, then previews some units in the LMS. */
  author(): void {
    const courseId = this.course.courseId;
    const outline = `https://${STUDIO_HOST}/course/${courseId}`;
    this.studioRequest(`/course/${courseId}`, `https://${STUDIO_HOST}/home/`);
    const edits = this.random.int(2, 6);
    for (let i = 0; i < edits; i++) {
      this.wait(this.random.between(10, 240));
      const unit = this.random.pick(this.course.units);
      this.studioRequest(`/container/${unit.key}`, outline);
      this.wait(this.random.between(5, 60));
      const component = this.random.pick(unit.components);
      this.studioRequest(
        `/xblock/${component.key}`,
        `https://${STUDIO_HOST}/container/${unit.key}`,
      );
    }
    if (this.random.chance(0.6)) this.browseCourseware();
  }

  /** Studies `unitCount` units from `unit` on; `breakAfter` is the unit followed by a long break. */
  private workThrough(unit: Unit, unitCount: number, reviewing: boolean, breakAfter: number): void {
    for (let studied = 0; studied < unitCount; studied++) {
      this.studyUnit(unit, reviewing);
      if (studied === unitCount - 1) return;
      if (studied === breakAfter) this.wait(this.random.between(31, 150) * 60);
      const next = this.moveOn(unit);
      if (!next) return;
      unit = next;
    }
  }

  // Arriving in the course.

  /** From the dashboard or a bookmark; returns the unit the learner lands on. */
  private arrive(): Unit {
    const progress = this.person.progress;
    if (progress.resumeUnit >= 0 && this.random.chance(0.4)) return this.resumeFromBookmark();
    this.arriveAtHome();
    const resumeUnit = this.course.units[Math.max(progress.resumeUnit, 0)] as Unit;
    if (this.random.chance(0.5)) return this.clickResume(resumeUnit);
    return this.selectFromOutline(resumeUnit.sequential);
  }

  /** The dashboard link goes through the LMS course URL, which redirects to the MFE home. */
  private arriveAtHome(): void {
    const courseId = this.course.courseId;
    this.request(coursePath(courseId, 'course/'), `${LMS_BASE_URL}/dashboard`);
    this.latency();
    this.page = mfeHomeUrl(courseId);
    this.request(`/api/course_home/outline/${courseId}`, this.page);
    this.wait(this.random.between(3, 25));
  }

  private clickResume(unit: Unit): Unit {
    const hasVisited = this.person.progress.resumeUnit >= 0;
    const url = mfeUnitUrl(this.course.courseId, unit.sequential.key, unit.key);
    this.browser('edx.course.home.resume_course.clicked', {
      org_key: this.course.keyParts.org,
      courserun_key: this.course.courseId,
      event_type: hasVisited ? 'resume' : 'start',
      url,
    });
    this.enterSequential(unit);
    return unit;
  }

  /** The outline links to a sequential; the MFE opens the learner's last unit there. */
  private selectFromOutline(sequential: Sequential): Unit {
    const courseId = this.course.courseId;
    const lastIndex = this.person.progress.lastUnitInSequential.get(sequential.index);
    const unit =
      lastIndex === undefined
        ? (sequential.units[0] as Unit)
        : (this.course.units[lastIndex] as Unit);
    const targetUrl = this.random.chance(0.5)
      ? mfeSequenceUrl(courseId, sequential.key)
      : jumpToUrl(courseId, sequential.key);
    this.browser('edx.ui.lms.outline.selected', {
      current_url: this.page,
      target_name: sequential.name,
      target_url: targetUrl,
      widget_placement: 'accordion',
    });
    this.enterSequential(unit);
    return unit;
  }

  private resumeFromBookmark(): Unit {
    const unit = this.course.units[this.person.progress.resumeUnit] as Unit;
    const courseId = this.course.courseId;
    this.page = mfeUnitUrl(courseId, unit.sequential.key, unit.key);
    this.request(`/api/courseware/course/${courseId}`, '');
    this.latency();
    this.enterSequential(unit);
    return unit;
  }

  private enterSequential(unit: Unit): void {
    this.latency();
    const page = mfeUnitUrl(this.course.courseId, unit.sequential.key, unit.key);
    this.request(`/api/courseware/sequence/${unit.sequential.key}`, page);
    this.openUnit(unit);
  }

  // Inside the courseware.

  /** The MFE loads the unit into its iframe from `/xblock/<unit>`; videos announce themselves. */
  private openUnit(unit: Unit): void {
    this.latency();
    this.page = mfeUnitUrl(this.course.courseId, unit.sequential.key, unit.key);
    this.request(`/xblock/${unit.key}`, this.page, UNIT_IFRAME_GET);
    const iframe = xblockIframeUrl(unit.key);
    for (const component of visibleComponents(this.person, unit)) {
      if (component.type !== 'video') continue;
      this.wait(this.random.between(0.3, 1.5));
      const duration = component.youtubeId ? 0 : component.duration;
      this.browser(
        'load_video',
        { id: component.blockId, code: videoCode(component), duration },
        iframe,
        iframe,
      );
    }
    const progress = this.person.progress;
    progress.resumeUnit = unit.index;
    progress.furthestUnit = Math.max(progress.furthestUnit, unit.index);
    progress.lastUnitInSequential.set(unit.sequential.index, unit.index);
  }

  private studyUnit(unit: Unit, reviewing: boolean): void {
    for (const component of visibleComponents(this.person, unit)) {
      switch (component.type) {
        case 'html':
          this.read(component, unit, reviewing);
          break;
        case 'video':
          if (this.random.chance(this.playChance(component, reviewing))) {
            this.watchVideo(component, unit, reviewing);
          }
          break;
        case 'problem':
          if (this.random.chance(this.answerChance(component, reviewing))) {
            this.answerProblem(component, unit);
          }
          break;
        case 'discussion':
          if (this.random.chance(0.4)) this.wait(this.random.exponential(40) + 5);
          break;
      }
    }
    this.wait(this.random.between(2, 20));
  }

  /** Learners seldom replay a video they already watched to the end, except when reviewing. */
  private playChance(video: Component, reviewing: boolean): number {
    if (reviewing) return 0.6;
    const watched =
      (this.person.progress.videoPositions.get(video.key) ?? 0) >= video.duration * 0.95;
    return watched ? 0.1 : this.person.persona.watchChance;
  }

  /** An answered problem is rarely submitted again, except when reviewing. */
  private answerChance(problem: Component, reviewing: boolean): number {
    if (!this.person.progress.completed.has(problem.key)) return this.person.persona.problemChance;
    return reviewing ? 0.4 : 0.05;
  }

  /** Next, sometimes back or a jump along the tabs; null at the end of the course. */
  private moveOn(unit: Unit): Unit | null {
    const units = this.course.units;
    const sequentialUnits = unit.sequential.units;
    const roll = this.random.next();
    if (roll < 0.05 && unit.index > 0) {
      const previous = units[unit.index - 1] as Unit;
      this.sequenceMove('edx.ui.lms.sequence.previous_selected', unit, previous);
      return previous;
    }
    if (roll < 0.12 && sequentialUnits.length > 2) {
      const target = this.random.pick(sequentialUnits.filter((other) => other !== unit));
      this.selectTab(unit, target);
      return target;
    }
    const next = units[unit.index + 1];
    if (!next) return null;
    this.sequenceMove('edx.ui.lms.sequence.next_selected', unit, next);
    return next;
  }

  /** next_selected / previous_selected; crossing into another sequential loads it first. */
  private sequenceMove(name: string, from: Unit, to: Unit): void {
    this.browser(name, {
      current_tab: from.position,
      id: from.sequential.key,
      tab_count: from.sequential.units.length,
      widget_placement: this.random.chance(0.7) ? 'bottom' : 'top',
    });
    if (to.sequential === from.sequential) this.openUnit(to);
    else this.enterSequential(to);
  }

  private selectTab(from: Unit, to: Unit): void {
    this.browser('edx.ui.lms.sequence.tab_selected', {
      current_tab: from.position,
      id: from.sequential.key,
      tab_count: from.sequential.units.length,
      target_tab: to.position,
      widget_placement: 'top',
    });
    this.openUnit(to);
  }

  private read(html: Component, unit: Unit, reviewing: boolean): void {
    this.wait(this.random.between(1, 4));
    const completed = this.person.progress.completed.has(html.key);
    // The unit page marks HTML complete on view; now and then it reports it again.
    if (!completed || this.random.chance(0.03)) {
      this.completeBlock(
        html,
        unit,
        handlerPath(this.course.courseId, html.key, 'publish_completion'),
      );
    }
    const mean = this.person.persona.readSeconds * (reviewing ? 0.5 : 1);
    this.wait(Math.min(900, 5 + this.random.exponential(mean)));
    if (this.random.chance(0.04)) this.clickLink(unit);
  }

  private clickLink(unit: Unit): void {
    const iframe = xblockIframeUrl(unit.key);
    const earlier = unit.sequential.units.filter((other) => other.position < unit.position);
    if (earlier.length === 0 || this.random.chance(0.5)) {
      const url = this.random.pick(EXTERNAL_LINKS);
      this.browser(
        'edx.ui.lms.link_clicked',
        { current_url: iframe, target_url: url },
        iframe,
        iframe,
      );
      this.wait(this.random.between(20, 400));
      return;
    }
    const target = this.random.pick(earlier);
    const targetUrl = jumpToUrl(this.course.courseId, target.key);
    this.browser(
      'edx.ui.lms.link_clicked',
      { current_url: iframe, target_url: targetUrl },
      iframe,
      iframe,
    );
    this.latency();
    this.request(coursePath(this.course.courseId, `jump_to/${target.key}`), iframe);
    this.openUnit(target);
    this.wait(this.random.between(15, 120));
    this.selectTab(target, unit);
  }

  private completeBlock(component: Component, unit: Unit, path: string): void {
    const progress = this.person.progress;
    const isNew = !progress.completed.has(component.key);
    if (component.type !== 'problem') this.request(path, xblockIframeUrl(unit.key), {}, {});
    this.latency();
    this.emitted(
      'edx.completion.block_completion.changed',
      {
        user_id: this.person.actor.userId,
        course_id: this.course.courseId,
        context_key: this.course.courseId,
        block_id: component.key,
        block_type: component.type,
        completion: 1.0,
        is_new: isNew,
      },
      path,
      xblockIframeUrl(unit.key),
      moduleOf(component),
    );
    progress.completed.add(component.key);
  }

  // Video.

  private watchVideo(video: Component, unit: Unit, reviewing: boolean): void {
    const progress = this.person.progress;
    const persona = this.person.persona;
    const iframe = xblockIframeUrl(unit.key);
    const send = (name: string, fields: { [key: string]: Json }): void => {
      this.browser(
        name,
        { id: video.blockId, code: videoCode(video), ...fields, duration: video.duration },
        iframe,
        iframe,
      );
    };
    const saved = progress.videoPositions.get(video.key) ?? 0;
    const resumable = saved < video.duration * 0.95;
    const start = resumable ? saved : reviewing ? this.random.between(0, video.duration * 0.7) : 0;
    this.wait(this.random.between(2, 15));
    const playback = new VideoPlayback(video.duration, this.now, start, progress.playerSpeed);
    send('play_video', { currentTime: playback.positionAt(this.now) });
    if (progress.playerSpeed !== progress.speed) {
      this.playFor(playback, video, unit, this.random.between(2, 8));
      if (!playback.hasEnded(this.now)) this.changeSpeed(playback, progress.speed, send);
    }
    let watching = true;
    while (watching) {
      const segment = Math.max(1, this.random.exponential(persona.segmentSeconds));
      this.playFor(playback, video, unit, segment);
      if (playback.hasEnded(this.now)) {
        send('stop_video', { currentTime: video.duration });
        progress.videoPositions.set(video.key, video.duration);
        return;
      }
      const action = this.random.weighted(
        ['pause', 'seek', 'speed', 'transcript', 'leave'] as const,
        [0.45, persona.seekChance, 0.02, 0.03, (1 - persona.finishChance) * 0.5],
      );
      const position = playback.positionAt(this.now);
      switch (action) {
        case 'pause':
          send('pause_video', { currentTime: position });
          if (this.random.chance(0.6 + persona.finishChance * 0.3)) {
            this.wait(this.random.between(3, 90));
            playback.play(this.now, position);
            send('play_video', { currentTime: position });
          } else {
            watching = false;
          }
          break;
        case 'seek':
          this.seek(playback, position, send);
          break;
        case 'speed':
          this.changeSpeed(
            playback,
            this.random.pick([0.75, 1, 1.25, 1.5, 2].filter((speed) => speed !== playback.speed)),
            send,
          );
          break;
        case 'transcript':
          send('show_transcript', { current_time: position });
          break;
        case 'leave':
          // Now and then the learner navigates away while it plays: no pause is logged.
          if (this.random.chance(0.85)) send('pause_video', { currentTime: position });
          watching = false;
          break;
      }
    }
    progress.videoPositions.set(video.key, playback.positionAt(this.now));
  }

  /** Plays on for `seconds` of video, publishing completion when 95% is passed. */
  private playFor(playback: VideoPlayback, video: Component, unit: Unit, seconds: number): void {
    const from = playback.positionAt(this.now);
    const to = Math.min(video.duration, from + seconds);
    const threshold = video.duration * 0.95;
    if (from < threshold && to >= threshold && !this.person.progress.completed.has(video.key)) {
      this.now = Math.max(this.now, playback.timeAt(threshold));
      this.completeBlock(
        video,
        unit,
        handlerPath(this.course.courseId, video.key, 'publish_completion'),
      );
    }
    this.now = Math.max(this.now, playback.timeAt(to));
  }

  private seek(
    playback: VideoPlayback,
    position: number,
    send: (name: string, fields: { [key: string]: Json }) => void,
  ): void {
    const duration = playback.duration;
    const forward = this.random.chance(0.4 + this.person.persona.seekChance);
    const target = forward
      ? Math.min(duration - 1, position + this.random.between(10, 120))
      : Math.max(0, position - this.random.between(5, 45));
    const newTime = Math.round(Math.max(0, target) * 1000) / 1000;
    send('seek_video', { old_time: position, new_time: newTime, type: 'onSlideSeek' });
    this.wait(this.random.between(0.2, 1.5));
    playback.play(this.now, newTime);
    // Players often report the time from before the seek in the play that follows it.
    send('play_video', { currentTime: this.random.chance(0.25) ? position : newTime });
  }

  private changeSpeed(
    playback: VideoPlayback,
    speed: number,
    send: (name: string, fields: { [key: string]: Json }) => void,
  ): void {
    const position = playback.positionAt(this.now);
    send('speed_change_video', {
      current_time: position,
      old_speed: formatSpeed(playback.speed),
      new_speed: formatSpeed(speed),
    });
    playback.changeSpeed(this.now, speed);
    this.person.progress.playerSpeed = speed;
  }

  // Problems.

  private answerProblem(problem: Component, unit: Unit): void {
    const progress = this.person.progress;
    const previousAttempts = progress.attempts.get(problem.key) ?? 0;
    if (previousAttempts >= 3) return;
    this.wait(Math.min(600, 10 + this.random.exponential(this.person.persona.readSeconds * 0.8)));
    for (let attempt = previousAttempts + 1; attempt <= 3; attempt++) {
      const correct = this.random.chance(0.55 + 0.15 * attempt);
      this.submitAnswer(problem, unit, attempt, correct);
      progress.attempts.set(problem.key, attempt);
      if (correct || !this.random.chance(0.6)) break;
      this.wait(this.random.between(20, 150));
    }
  }

  private submitAnswer(problem: Component, unit: Unit, attempt: number, correct: boolean): void {
    const courseId = this.course.courseId;
    const path = handlerPath(courseId, problem.key, 'xmodule_handler/problem_check');
    const iframe = xblockIframeUrl(unit.key);
    const inputId = `${problem.blockId}_2_1`;
    const choice = correct ? 'choice_1' : this.random.pick(['choice_0', 'choice_2', 'choice_3']);
    const module = moduleOf(problem);
    this.request(path, iframe, {}, { [`input_${inputId}`]: [choice] });
    this.wait(this.random.between(0.005, 0.05));
    this.browser('problem_check', `input_${inputId}=${choice}`, iframe, iframe);
    this.wait(this.random.between(0.02, 0.1));
    const graded = unit.sequential.graded;
    if (graded) {
      this.emitted(
        'edx.grades.problem.submitted',
        {
          user_id: String(this.person.actor.userId),
          course_id: courseId,
          problem_id: problem.key,
          event_transaction_id: uuid(this.random),
          event_transaction_type: 'edx.grades.problem.submitted',
          weighted_earned: correct ? 1 : 0,
          weighted_possible: 1,
        },
        path,
        iframe,
        module,
      );
      this.wait(this.random.between(0.01, 0.05));
    }
    this.emitted(
      'problem_check',
      problemCheckPayload(problem, inputId, choice, correct, attempt),
      path,
      iframe,
      module,
    );
    if (!this.person.progress.completed.has(problem.key)) this.completeBlock(problem, unit, path);
    this.wait(this.random.between(0.1, 0.4));
    this.browser(
      'problem_graded',
      [`input_${inputId}=${choice}`, `<div class="problem"><p>${problem.name}</p></div>`],
      iframe,
      iframe,
    );
    if (graded && this.random.chance(0.3)) this.recalculateGrades(unit.sequential);
    if (!correct && attempt === 3 && this.random.chance(0.3)) {
      this.wait(this.random.between(2, 10));
      this.emitted(
        'showanswer',
        { problem_id: problem.key },
        handlerPath(courseId, problem.key, 'xmodule_handler/problem_show'),
        iframe,
        module,
      );
    }
  }

  /** Celery recomputes grades a moment later; those events have no user in their context. */
  private recalculateGrades(sequential: Sequential): void {
    const factory = this.world.factory;
    const courseId = this.course.courseId;
    const userId = String(this.person.actor.userId);
    const transaction = uuid(this.random);
    const at = this.now + Math.round(this.random.between(0.5, 4) * SECOND);
    this.world.sink.push(
      factory.task(at, 'edx.grades.subsection.grade_calculated', {
        user_id: userId,
        course_id: courseId,
        block_id: sequential.key,
        course_version: this.course.version,
        weighted_total_earned: this.random.int(0, 3),
        weighted_total_possible: 3,
        weighted_graded_earned: this.random.int(0, 3),
        weighted_graded_possible: 3,
        event_transaction_id: transaction,
        event_transaction_type: 'edx.grades.problem.submitted',
      }),
    );
    this.world.sink.push(
      factory.task(at + 15_000, 'edx.grades.course.grade_calculated', {
        user_id: userId,
        course_id: courseId,
        percent_grade: Math.round(this.random.between(0, 1) * 100) / 100,
        letter_grade: '',
        event_transaction_id: transaction,
        event_transaction_type: 'edx.grades.problem.submitted',
      }),
    );
  }

  // Other pages.

  private maybeVisitExtras(forumChance: number, progressChance: number): void {
    if (this.random.chance(forumChance)) this.visitForum();
    if (this.random.chance(progressChance)) this.visitProgress();
  }

  private visitProgress(): void {
    const courseId = this.course.courseId;
    this.latency();
    this.request(coursePath(courseId, 'progress'), this.page);
    this.latency();
    this.page = mfeProgressUrl(courseId);
    this.request(`/api/course_home/progress/${courseId}`, this.page);
    this.wait(this.random.between(10, 90));
  }

  private visitForum(): void {
    const courseId = this.course.courseId;
    const forumUrl = `${LMS_BASE_URL}${coursePath(courseId, 'discussion/forum/')}`;
    this.latency();
    this.request(coursePath(courseId, 'discussion/forum/'), this.page);
    this.page = forumUrl;
    this.wait(this.random.between(5, 40));
    const threads = this.world.forum.threads();
    const reads = Math.min(threads.length, this.random.int(1, 3));
    for (let i = 0; i < reads; i++) this.readThread(this.random.pick(threads), forumUrl);
    if (this.random.chance(this.person.isStaff ? 0.05 : 0.12)) this.createThread(forumUrl);
  }

  private readThread(thread: ForumThread, forumUrl: string): void {
    const courseId = this.course.courseId;
    const threadPath = coursePath(
      courseId,
      `discussion/forum/${thread.commentableId}/threads/${thread.id}`,
    );
    this.request(threadPath, forumUrl);
    this.latency();
    this.emitted(
      'edx.forum.thread.viewed',
      {
        ...this.forumBase(thread.commentableId, thread.id),
        title: thread.title,
        title_truncated: false,
        target_username: thread.author,
      },
      threadPath,
      forumUrl,
    );
    this.wait(Math.min(600, 10 + this.random.exponential(60)));
    const respondChance = this.person.isStaff ? 0.6 : 0.2;
    if (this.random.chance(respondChance)) this.respond(thread, threadPath);
    else if (this.random.chance(0.1)) this.vote(thread, threadPath);
  }

  private respond(thread: ForumThread, threadPath: string): void {
    const courseId = this.course.courseId;
    this.wait(this.random.between(30, 240));
    const path = coursePath(courseId, `discussion/threads/${thread.id}/reply`);
    const referer = `${LMS_BASE_URL}${threadPath}`;
    this.request(path, referer, {}, { body: ['...'] });
    this.latency();
    this.emitted(
      'edx.forum.response.created',
      {
        ...this.forumBase(thread.commentableId, this.random.hex(24)),
        discussion: { id: thread.id },
        body: 'Thanks, this helped me understand it.',
        truncated: false,
      },
      path,
      referer,
    );
  }

  private vote(thread: ForumThread, threadPath: string): void {
    const path = coursePath(this.course.courseId, `discussion/threads/${thread.id}/upvote`);
    const referer = `${LMS_BASE_URL}${threadPath}`;
    this.request(path, referer, {}, {});
    this.latency();
    this.emitted(
      'edx.forum.thread.voted',
      {
        ...this.forumBase(thread.commentableId, thread.id),
        undo_vote: false,
        vote_value: 'up',
        target_username: thread.author,
      },
      path,
      referer,
    );
    this.wait(this.random.between(2, 10));
  }

  private createThread(forumUrl: string): void {
    const thread = this.world.forum.create(this.random, this.person.actor.username);
    const path = coursePath(
      this.course.courseId,
      `discussion/${thread.commentableId}/threads/create`,
    );
    this.wait(this.random.between(60, 400));
    this.request(path, forumUrl, {}, { title: [thread.title], body: ['...'] });
    this.latency();
    this.emitted(
      'edx.forum.thread.created',
      {
        ...this.forumBase(thread.commentableId, thread.id),
        group_id: null,
        thread_type: thread.threadType,
        anonymous: false,
        anonymous_to_peers: false,
        options: { followed: true },
        title: thread.title,
        title_truncated: false,
        body: `<p>${thread.title}</p>`,
        truncated: false,
      },
      path,
      forumUrl,
    );
  }

  private forumBase(commentableId: string, id: string): { [key: string]: Json } {
    return {
      commentable_id: commentableId,
      id,
      url: `${LMS_BASE_URL}${coursePath(this.course.courseId, `discussion/forum/${commentableId}/threads/${id}`)}`,
      user_forums_roles: this.person.isStaff ? ['Moderator'] : ['Student'],
      user_course_roles: this.person.isStaff ? ['staff'] : [],
    };
  }

  private browseCourseware(): void {
    this.arriveAtHome();
    let unit = this.selectFromOutline(this.random.pick(this.course.sequentials));
    const count = this.random.int(1, 4);
    for (let i = 0; i < count; i++) {
      this.wait(this.random.between(5, 60));
      const next = this.course.units[unit.index + 1];
      if (!next) break;
      this.sequenceMove('edx.ui.lms.sequence.next_selected', unit, next);
      unit = next;
    }
  }

  private pickReviewSequential(): Sequential {
    const withWork = this.course.sequentials.filter((sequential) =>
      sequential.units.some((unit) => unit.components.some((c) => c.type !== 'html')),
    );
    return this.random.pick(withWork.length > 0 ? withWork : this.course.sequentials);
  }

  private maybeClosePage(): void {
    if (!this.random.chance(0.35)) return;
    this.wait(this.random.between(2, 60));
    this.browser('page_close', '');
  }

  // Emitting.

  private emitEnrollment(name: string, path: string, referer: string, learner: Person): void {
    this.emitted(
      name,
      {
        course_id: this.course.courseId,
        user_id: learner.actor.userId,
        mode: 'audit',
      },
      path,
      referer,
    );
  }

  private request(path: string, referer: string, get: Json = {}, post: Json = {}): void {
    this.world.sink.push(
      this.world.factory.request(this.person.actor, this.now, { path, referer }, get, post),
    );
  }

  private studioRequest(path: string, referer: string): void {
    const options = { path, referer, host: STUDIO_HOST };
    this.world.sink.push(this.world.factory.request(this.person.actor, this.now, options));
  }

  private emitted(
    name: string,
    payload: Json,
    path: string,
    referer: string,
    module?: ModuleContext,
  ): void {
    const options = module ? { path, referer, module } : { path, referer };
    this.world.sink.push(
      this.world.factory.emitted(this.person.actor, this.now, name, payload, options),
    );
  }

  private browser(name: string, payload: Json, page = this.page, referer = this.page): void {
    this.world.sink.push(
      this.world.factory.browser(this.person.actor, this.now, name, payload, page, referer),
    );
  }

  private wait(seconds: number): void {
    this.now += Math.max(1, Math.round(seconds * SECOND));
  }

  /** The small delay between a click and the request it causes. */
  private latency(): void {
    this.wait(this.random.between(0.03, 0.6));
  }
}

function videoCode(video: Component): string {
  return video.youtubeId ?? 'html5';
}

function moduleOf(component: Component): ModuleContext {
  return { display_name: component.name, usage_key: component.key };
}

function uuid(random: Random): string {
  const hex = random.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function problemCheckPayload(
  problem: Component,
  inputId: string,
  choice: string,
  correct: boolean,
  attempt: number,
): Json {
  const correctness = correct ? 'correct' : 'incorrect';
  const correctMap = {
    [inputId]: {
      correctness,
      npoints: null,
      msg: '',
      hint: '',
      hintmode: null,
      queuestate: null,
      answervariable: null,
    },
  };
  return {
    state: {
      seed: 1,
      student_answers: {},
      has_saved_answers: false,
      correct_map: {},
      input_state: { [inputId]: {} },
      done: null,
    },
    problem_id: problem.key,
    answers: { [inputId]: choice },
    grade: correct ? 1 : 0,
    max_grade: 1,
    correct_map: correctMap,
    success: correctness,
    attempts: attempt,
    submission: {
      [inputId]: {
        question: problem.name,
        answer: `Option ${choice.slice(-1)}`,
        response_type: 'multiplechoiceresponse',
        input_type: 'choicegroup',
        correct,
        variant: '',
        group_label: '',
      },
    },
  };
}
