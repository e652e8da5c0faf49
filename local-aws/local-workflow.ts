import { StateMachine } from 'aws-local-stepfunctions';
import {
  DEFAULT_WORKFLOW_CONFIG,
  quarantineDefinition,
  type TaskArns,
  WORKFLOW_TASKS,
  type WorkflowConfig,
  type WorkflowTask,
} from '../lambdas/core/workflow/definition';
import { LATE_ACTIVITY_WAIT } from '../lambdas/core/workflow/investigation-states';
import { lambdaTimeoutSeconds } from '../stacks/lambda-sizing';
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

type States = Record<string, Record<string, unknown>>;

/** The states nested in a state: a Map's item processor, a Parallel's branches. */
function nestedStates(state: Record<string, unknown>): States[] {
  const inner = (state.ItemProcessor as { States?: States } | undefined)?.States;
  const branches = (state.Branches as Array<{ States: States }> | undefined) ?? [];
  return [...(inner === undefined ? [] : [inner]), ...branches.map((b) => b.States)];
}

/** Task state name -> task, read from the definition (Map item processors and Parallel branches included). */
function taskStates(states: States, out = new Map<string, WorkflowTask>()) {
  for (const [name, state] of Object.entries(states)) {
    const fn =
      typeof state.Resource === 'string' ? state.Resource.split(':function:sequester-')[1] : undefined;
    const task = WORKFLOW_TASKS.find((t) => t === fn);
    if (task !== undefined) out.set(name, task);
    for (const inner of nestedStates(state)) taskStates(inner, out);
  }
  return out;
}

/**
 * On AWS a Task state without TimeoutSeconds has no timeout of its own: it is bounded by its Lambda's
 * timeout (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-stuck-execution.html).
 * aws-local-stepfunctions gives such a state 60 s instead, which a slow local emulator can overrun, so
 * each task state gets its Lambda's configured timeout (stacks/lambda-sizing.ts), as on AWS.
 */
function boundByLambdaTimeouts(states: States, bound: ReadonlyMap<string, WorkflowTask>): void {
  for (const [name, state] of Object.entries(states)) {
    const task = bound.get(name);
    if (task !== undefined && state.TimeoutSeconds === undefined)
      state.TimeoutSeconds = lambdaTimeoutSeconds(task);
    for (const inner of nestedStates(state)) boundByLambdaTimeouts(inner, bound);
  }
}

export interface LocalRunOptions {
  /**
   * The workflow's config. Without `lateActivityDelaySeconds` the local run does not wait before the
   * late activity pass (the deployed default is 20 minutes); the demo sets a few seconds.
   */
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
  const bound = taskStates(definition.States as States);
  const tasks: WorkflowTask[] = [];
  const handlers: Record<string, (i: JsonValue) => Promise<JsonValue>> = {};
  const retryIntervals: Record<string, number> = {};
  boundByLambdaTimeouts(definition.States as States, bound);
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
      waitTimeOverrides: {
        WaitForSnapshots: 10,
        ...(o.config?.lateActivityDelaySeconds === undefined ? { [LATE_ACTIVITY_WAIT]: 10 } : {}),
      },
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
