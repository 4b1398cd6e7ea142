/**
 * Resume a task by id, in any process: store the id (and when it was created)
 * at submit, pick the task up later with `client.tasks.retrieve()`. The task
 * runs at Modellix whether or not anyone is polling it.
 *
 *   npx tsx examples/resume.ts                       # submits a video task, then resumes it with a fresh client
 *   npx tsx examples/resume.ts <task-id> [created]   # resumes a task submitted earlier (created: ISO date)
 */
import Modellix, { TaskExpiredError, TaskFailedError } from "modellix";

let [id, created] = process.argv.slice(2);
if (!id) {
  const task = await new Modellix().t2v.submit({ model: "alibaba/wan2.6-t2v", prompt: "waves rolling onto a beach at sunset", size: "1920*1080", duration: 5 });
  id = task.id;
  created = task.createdAt?.toISOString();
  console.log(`submitted ${id} at ${created}; store both to resume later`);
}

// Later, possibly in another process: a new client and the stored id. Nothing is sent until you ask.
const client = new Modellix();
const task = client.tasks.retrieve(id, { type: "t2v", createdAt: created });

try {
  const now = await task.status(); // one GET /tasks/{id}
  console.log(`${task.id} is ${now.status}`);
  for await (const update of task.updates()) console.log(`  ${update.status}`);
  const result = await task.wait(); // already finished: answers from the last reading, no extra request
  console.log(`video: ${result.resources.map((resource) => resource.url).join(", ")}`);
} catch (error) {
  // createdAt lets a 404 after the 24-hour retention be reported as expired rather than unknown.
  if (error instanceof TaskExpiredError) console.error(`${id} has expired: submit it again`);
  else if (error instanceof TaskFailedError) console.error(`${id} failed: ${error.category}: ${error.detail}`);
  else throw error;
  process.exitCode = 1;
}
