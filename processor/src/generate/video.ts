/**
 * The position of a playing video as wall-clock time passes: what a player reports in
 * `currentTime` is always the position at the start of the play plus the time elapsed since,
 * times the playback speed, and never more than the duration.
 */
export class VideoPlayback {
  private anchorTime: number;
  private anchorPosition: number;
  speed: number;

  constructor(
    readonly duration: number,
    time: number,
    position: number,
    speed: number,
  ) {
    this.anchorTime = time;
    this.anchorPosition = Math.min(roundPosition(position), duration);
    this.speed = speed;
  }

  /** Seconds into the video at `time` (microseconds), rounded to the microsecond. */
  positionAt(time: number): number {
    const elapsed = (time - this.anchorTime) / 1_000_000;
    return Math.min(this.duration, roundPosition(this.anchorPosition + elapsed * this.speed));
  }

  /** The first microsecond at which the video is at `position` or later. */
  timeAt(position: number): number {
    const seconds = (position - this.anchorPosition) / this.speed;
    return this.anchorTime + Math.max(0, Math.ceil(seconds * 1_000_000));
  }

  hasEnded(time: number): boolean {
    return this.positionAt(time) >= this.duration;
  }

  play(time: number, position: number): void {
    this.anchorTime = time;
    this.anchorPosition = Math.min(roundPosition(position), this.duration);
  }

  changeSpeed(time: number, speed: number): void {
    this.anchorPosition = this.positionAt(time);
    this.anchorTime = time;
    this.speed = speed;
  }
}

/** Speeds as the video player sends them: `"1.0"`, `"1.25"`, `"2.0"`. */
export function formatSpeed(speed: number): string {
  return Number.isInteger(speed) ? speed.toFixed(1) : String(speed);
}

function roundPosition(seconds: number): number {
  return Math.round(seconds * 1_000_000) / 1_000_000;
}
