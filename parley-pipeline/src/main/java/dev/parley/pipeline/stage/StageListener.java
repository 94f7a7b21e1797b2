package dev.parley.pipeline.stage;

/**
 * Hears how a job's stages go: the command line prints it, a server job logs it. Calls come from the thread
 * that runs the job, in stage order.
 */
public interface StageListener {
  /** Says nothing: for jobs whose progress nobody watches (tests, background refreshes). */
  StageListener NONE = new StageListener() {
    @Override
    public void start(String stage) {}

    @Override
    public void done(String stage, String detail, long millis) {}

    @Override
    public void reused(String stage, String detail) {}

    @Override
    public void note(String line) {}
  };

  void start(String stage);

  /** @param detail a few words on the result, e.g. "152 segments" */
  void done(String stage, String detail, long millis);

  /** The stage's result was taken from an earlier run of the same job. */
  void reused(String stage, String detail);

  /** A line of detail inside the current stage (e.g. embedding progress). */
  void note(String line);
}
