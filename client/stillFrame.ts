/**
 * Keeps the current picture on screen as a still: when the stream dies the
 * video element may go black, and a reconnect overlay should sit over the
 * last picture the user saw. Shared by the player and the phone app.
 */
export function holdStill(video: HTMLVideoElement, still: HTMLCanvasElement): void {
  if (video.videoWidth === 0 || video.videoHeight === 0) return;
  try {
    still.width = video.videoWidth;
    still.height = video.videoHeight;
    still.getContext('2d')?.drawImage(video, 0, 0);
    still.hidden = false;
  } catch {
    // No decodable frame right now: the overlay alone will do.
  }
}

export function releaseStill(still: HTMLCanvasElement): void {
  still.hidden = true;
  still.width = 0; // frees the bitmap
}
