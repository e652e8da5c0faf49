import { StateMachine } from 'aws-local-stepfunctions';
import {
  DEFAULT_WORKFLOW_CONFIG,
  quarantineDefinition,
  type TaskArns,
  WORKFLOW_TASKS,
  type WorkflowConfig,
  type WorkflowTask,
} from '../lambdas/core/workflow/definition';
import { lambdaCredentials } from './iam/local-roles';
import { withCredentials } from './iam/role-credentials';

/**
 * aws-local-stepfunctions uses Promise.withResolvers (Node 22); these machines run Node 20.
 * https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Promise/withResolvers
 */
export function polyfillPromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = <T>() => {
    let resolve!: (v: T | PromiseLike<T>) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** Placeholder ARNs: the local run binds each task state to its handler through the function name. */
export const LOCAL_TASK_ARNS: TaskArns = Object.fromEntries(
  WORKFLOW_TASKS.map((t) => [t, `arn:aws:lambda:us-east-1:000000000000:function:sequester-${t}`]),
) as TaskArns;

type Handler = (event: unknown) => Promise<unknown>;
type MachineRun = ReturnType<StateMachine['run']>;
type EventLog = MachineRun['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type JsonValue = Parameters<StateMachine['run']>[0];

/** The real handler of a task (`lambdas/handlers/<task>.ts`), loaded on first use so env is read late. */
const realHandler =
  (task: WorkflowTask): Handler =>
  (event) => {
    const mod = require(`../lambdas/handlers/${task}`) as { handler: Handler };
    return mod.handler(event);
  };

/** Task state name -> task, read from the definition (Map item processors included). */
function taskStates(states: Record<string, Record<string, unknown>>, out = new Map<string, WorkflowTask>()) {
  for (const [name, state] of Object.entries(states)) {
    const fn =
      typeof state.Resource === 'string' ? state.Resource.split(':function:sequester-')[1] : undefined;
    const task = WORKFLOW_TASKS.find((t) => t === fn);
    if (task !== undefined) out.set(name, task);
    const inner = (state.ItemProcessor as { States?: Record<string, Record<string, unknown>> } | undefined)
      ?.States;
    if (inner !== undefined) taskStates(inner, out);
  }
  return out;
}

/**
 * Lambda timeouts of the tasks that run longer than the runner's 60 s default (stacks/responder.ts
 * SIZING): on AWS a task without TimeoutSeconds runs until its function times out, so the local run
 * gives those states the same bound instead of the runner's default.
 */
const FUNCTION_TIMEOUT_SECONDS: Partial<Record<WorkflowTask, number>> = {
  'export-segment': 900,
  'complete-export': 300,
  'seal-manifest': 300,
};

function withFunctionTimeouts(
  states: Record<string, Record<string, unknown>>,
  bound: Map<string, WorkflowTask>,
) {
  for (const [name, state] of Object.entries(states)) {
    const task = bound.get(name);
    const timeout = task === undefined ? undefined : FUNCTION_TIMEOUT_SECONDS[task];
    if (timeout !== undefined && state.TimeoutSeconds === undefined) state.TimeoutSeconds = timeout;
    const inner = (state.ItemProcessor as { States?: Record<string, Record<string, unknown>> } | undefined)
      ?.States;
    if (inner !== undefined) withFunctionTimeouts(inner, bound);
  }
}

export interface LocalRunOptions {
  readonly config?: WorkflowConfig;
  /** Replace some tasks (a fault to inject); every other task runs its real handler. */
  readonly replace?: Partial<Record<WorkflowTask, Handler>>;
}

export interface LocalRunResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  /** Task names in the order they ran (one entry per attempt). */
  readonly tasks: ReadonlyArray<WorkflowTask>;
  readonly events: ReadonlyArray<EventLog>;
}

/**
 * Runs the real quarantine state machine (the ASL the stack deploys) in process, each task bound to its
 * real handler in lambdas/handlers (which talk to whatever AWS_ENDPOINT_URL points at, moto locally).
 * Waits and retry intervals are shortened; the definition's control flow is not changed.
 */
export async function runLocalWorkflow(
  input: { quarantineId: string },
  o: LocalRunOptions = {},
): Promise<LocalRunResult> {
  polyfillPromiseWithResolvers();
  const definition = quarantineDefinition(o.config ?? DEFAULT_WORKFLOW_CONFIG, LOCAL_TASK_ARNS);
  const bound = taskStates(definition.States as Record<string, Record<string, unknown>>);
  withFunctionTimeouts(definition.States as Record<string, Record<string, unknown>>, bound);
  const tasks: WorkflowTask[] = [];
  const handlers: Record<string, (i: JsonValue) => Promise<JsonValue>> = {};
  const retryIntervals: Record<string, number> = {};
  for (const [state, task] of bound) {
    const fn = o.replace?.[task] ?? realHandler(task);
    // Each task signs with its own Lambda role's key, as its function does on AWS (the enforcer in
    // front of moto maps the key to the role's policy); a replacement stands in for the same function.
    handlers[state] = async (event) => {
      tasks.push(task);
      return (await withCredentials(lambdaCredentials(task), () => fn(event))) as JsonValue;
    };
    retryIntervals[state] = 0;
  }
  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      waitTimeOverrides: { WaitForSnapshots: 10 },
      retryIntervalOverrides: retryIntervals,
    },
  });
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const e of execution.eventLogs) events.push(e);
  })();
  try {
    const output = await execution.result;
    await collecting;
    return { status: 'SUCCEEDED', output, tasks, events };
  } catch (err) {
    await collecting.catch(() => undefined);
    return { status: 'FAILED', error: err instanceof Error ? err.message : String(err), tasks, events };
  }
}
