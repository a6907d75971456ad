/**
 * Model → behaviour tree, with the tree shape of the Python engine:
 *
 * - the root is a sequence (with memory) named after the scenario, holding the
 *   `do` behaviours in order;
 * - `serial` → Sequence (memory), `parallel` → Parallel (success on all),
 *   `one_of` → Parallel (success on one); a label names the node, else the
 *   operator does;
 * - an action invocation → ActionBehaviour named by its label or the action's
 *   declared name; its arguments are evaluated each time it starts (variables
 *   read at that moment), those in the definition's `initArgs` once while building;
 * - modifiers wrap the node they apply to, the first written outermost (as the
 *   engine inserts each later one between the node and the earlier ones); the
 *   outermost modifier of the scenario itself takes the scenario's name;
 * - `emit e` → EmitEvent `emit e`, `wait @e` → WaitForEvent `TopicEquals`,
 *   `wait elapsed(t)` → WaitElapsed `wait <t>s`, `wait <cond>` → WaitCondition
 *   named by the condition's text.
 */
import type { ActionDefinition, ActionLogger, ArgMap } from '../actions/api.js';
import { ActionBehaviour } from '../actions/action-behaviour.js';
import { errorMessage, type Location, OscError } from '../language/diagnostics.js';
import { evaluate, evaluateToWire, initializeVariables } from '../model/evaluate.js';
import type {
  ActionDecl,
  ActionInvocationNode,
  BehaviourNode,
  CompositionNode,
  ModifierApplication,
  OscModel,
  Value,
  WaitNode,
} from '../model/model.js';
import type { WrappedActionInfo } from '../plugins/modifier-api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { Behaviour, type MaybePromise } from '../runtime/behaviour.js';
import type { Blackboard } from '../runtime/blackboard.js';
import type { MonotonicClock } from '../runtime/clock.js';
import { Parallel, ParallelPolicy, Sequence } from '../runtime/composites.js';
import { EmitEvent, WaitCondition, WaitElapsed, WaitForEvent } from '../runtime/leaves.js';
import { isPromiseLike } from '../runtime/maybe-promise.js';
import type { Status } from '../runtime/status.js';
import { InvocationArgs } from './action-args.js';
import { BUILTIN_MODIFIERS, createBuiltinDecorator, isBuiltinModifier } from './builtin-modifiers.js';
import { conditionName, elapsedName, locationText } from './names.js';

export interface BuildTreeOptions {
  readonly model: OscModel;
  /** Variables and events live here; the builder creates them with their initial values. */
  readonly blackboard: Blackboard;
  /** Logger handed to actions and modifiers (and used for debug lines). */
  readonly logger: ActionLogger;
  /** Installed plugins (actions and modifiers beyond the built-in ones). */
  readonly plugins?: PluginRegistry;
  /** Actions of the engine itself, by declared name. */
  readonly builtinActions?: Readonly<Record<string, ActionDefinition>>;
  /** Clock for `timeout` and `wait elapsed` (default: the runner's, adopted at setup). */
  readonly clock?: MonotonicClock;
}

export interface BuiltTree {
  readonly root: Behaviour;
  /** The scenario's name (the root's name, also when a modifier wraps the scenario). */
  readonly scenarioName: string;
}

/** Stands in for an action no installed plugin implements, until a plugin modifier (remote) replaces it. */
class MissingAction extends Behaviour {
  constructor(
    name: string,
    readonly message: string,
    readonly location: Location,
  ) {
    super(name);
  }

  override update(): Status {
    throw new OscError(this.message, this.location);
  }
}

/** Re-throw anything but an OscError as one at `location`. */
function atLocation(error: unknown, location: Location, prefix = ''): OscError {
  if (error instanceof OscError && error.location !== undefined) return error;
  return new OscError(prefix + errorMessage(error), location);
}

/** Whether a value returned by a plugin is a behaviour (possibly from another copy of this package). */
function looksLikeBehaviour(value: unknown): value is Behaviour {
  if (value instanceof Behaviour) return true;
  const v = value as Partial<Behaviour> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    typeof v.tick === 'function' &&
    typeof v.stop === 'function'
  );
}

/** Python's truth value of a condition result. */
function truthy(value: Value): boolean {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'int':
    case 'float':
      return value.value !== 0;
    case 'physical':
      return value.si !== 0;
    case 'string':
      return value.value !== '';
    case 'list':
      return value.items.length > 0;
    case 'none':
      return false;
    default:
      return true;
  }
}

class TreeBuilder {
  private readonly model: OscModel;
  private readonly blackboard: Blackboard;
  private readonly logger: ActionLogger;
  private readonly plugins: PluginRegistry | undefined;
  private readonly builtinActions: Readonly<Record<string, ActionDefinition>>;
  private readonly clock: MonotonicClock | undefined;
  /** Whether debug lines are printed: else a large tree's lines are not even made. */
  private readonly debug: boolean;

  constructor(options: BuildTreeOptions) {
    this.model = options.model;
    this.blackboard = options.blackboard;
    this.logger = options.logger;
    this.plugins = options.plugins;
    this.builtinActions = options.builtinActions ?? {};
    this.clock = options.clock;
    this.debug = options.logger.debugEnabled !== false;
  }

  async build(): Promise<BuiltTree> {
    const scenario = this.model.scenario;
    initializeVariables(this.model, this.blackboard);
    // Declared events exist (unset) before anyone waits on them, as in the engine.
    for (const event of this.model.events) {
      if (!this.blackboard.has(event.qualifiedName)) this.blackboard.set(event.qualifiedName, null);
    }
    const scenarioRoot = new Sequence(scenario.name, [], { memory: true });
    const built = this.addChildren(scenarioRoot, scenario.behaviour, 0);
    if (built !== undefined) await built;
    const root = await this.applyModifiers(scenarioRoot, scenario.modifiers, undefined, scenario.name);
    this.rejectMissingActions(root);
    return { root, scenarioName: scenario.name };
  }

  /*
   * Building is synchronous unless a step really waits (a plugin's module is imported):
   * an `async` function per node would make a promise, and a suspended frame, for each
   * node of a large tree. Nodes are still built strictly one after the other.
   */

  private buildNode(node: BehaviourNode): MaybePromise<Behaviour | undefined> {
    switch (node.kind) {
      case 'composition':
        return this.buildComposition(node);
      case 'action':
        return this.buildAction(node);
      case 'wait':
        return this.applyModifiers(this.buildWait(node), node.modifiers, undefined, undefined);
      case 'emit': {
        const emit = new EmitEvent(`emit ${node.event.name}`, this.blackboard, node.event.qualifiedName);
        return this.applyModifiers(emit, node.modifiers, undefined, undefined);
      }
    }
  }

  private buildComposition(node: CompositionNode): MaybePromise<Behaviour> {
    const name = node.label ?? node.operator;
    let composite: Sequence | Parallel;
    if (node.operator === 'serial') composite = new Sequence(name, [], { memory: true });
    else if (node.operator === 'parallel') composite = new Parallel(name, [], ParallelPolicy.successOnAll());
    else composite = new Parallel(name, [], ParallelPolicy.successOnOne());
    const built = this.addChildren(composite, node.children, 0);
    if (built !== undefined) {
      return built.then(() => this.applyModifiers(composite, node.modifiers, undefined, undefined));
    }
    return this.applyModifiers(composite, node.modifiers, undefined, undefined);
  }

  /** Build `members` from index `from` on into `parent`, in order; a promise only if one of them waits. */
  private addChildren(
    parent: Sequence | Parallel,
    members: readonly BehaviourNode[],
    from: number,
  ): Promise<void> | undefined {
    for (let i = from; i < members.length; i++) {
      const child = this.buildNode(members[i] as BehaviourNode);
      if (isPromiseLike(child)) {
        return child.then((waited) => {
          if (waited) parent.addChild(waited);
          return this.addChildren(parent, members, i + 1);
        });
      }
      if (child) parent.addChild(child);
    }
    return undefined;
  }

  private buildWait(node: WaitNode): Behaviour {
    const condition = node.condition;
    switch (condition.kind) {
      case 'elapsed': {
        // Evaluated once while building, as the engine does.
        let value: Value;
        try {
          value = evaluate(condition.duration, this.blackboard);
        } catch (error) {
          throw atLocation(error, condition.location);
        }
        const seconds =
          value.kind === 'physical' ? value.si : value.kind === 'int' || value.kind === 'float' ? value.value : NaN;
        if (!Number.isFinite(seconds)) {
          throw new OscError('elapsed() needs a duration (a time value)', condition.location);
        }
        return new WaitElapsed(elapsedName(value), seconds, this.clock ? { clock: this.clock } : {});
      }
      case 'event':
        return new WaitForEvent('TopicEquals', this.blackboard, condition.event.qualifiedName);
      case 'condition': {
        const expression = condition.expression;
        return new WaitCondition(conditionName(condition.location), () =>
          truthy(evaluate(expression, this.blackboard)),
        );
      }
    }
  }

  private buildAction(node: ActionInvocationNode): MaybePromise<Behaviour> {
    // A built-in action is found without waiting: no promise per action of a large tree.
    const builtin = this.builtinAction(node.action, node.location);
    if (builtin !== undefined) return this.buildActionOf(node, builtin);
    return this.pluginAction(node.action, node.location).then((definition) => this.buildActionOf(node, definition));
  }

  private buildActionOf(node: ActionInvocationNode, definition: ActionDefinition | undefined): MaybePromise<Behaviour> {
    const action = node.action;
    const name = node.label ?? action.name;
    const args = new InvocationArgs(node, this.blackboard, definition?.textArgs, definition?.initArgs);
    let leaf: Behaviour;
    if (definition === undefined) {
      leaf = new MissingAction(name, this.missingActionMessage(action), node.location);
    } else {
      if (this.debug) this.logger.debug(`Instantiate action '${name}', plugin '${action.name}'.`);
      let initArgs: ArgMap;
      try {
        initArgs = args.initArgs();
      } catch (error) {
        throw atLocation(error, node.location, `Error while initializing plugin ${action.name}: `);
      }
      leaf = new ActionBehaviour(name, {
        definition,
        pluginName: action.name,
        initArgs,
        argumentSource: args,
        logger: this.logger,
        variables: this.blackboard,
        location: node.location,
      });
    }
    // Most actions have no modifier: then nothing wraps the leaf, and no plugin modifier needs its details.
    if (node.modifiers.length === 0) return leaf;
    const info: WrappedActionInfo = {
      name: action.name,
      parameterNames: action.parameters.map((p) => p.name),
      definition,
      resolveArgs: () => args.all(false) as ReturnType<WrappedActionInfo['resolveArgs']>,
      resolveArgsWithReferences: () => args.all(true),
    };
    return this.applyModifiers(leaf, node.modifiers, { leaf, info }, undefined);
  }

  /** The engine's own implementation of an action, if any (an error when a plugin provides it too). */
  private builtinAction(action: ActionDecl, location: Location): ActionDefinition | undefined {
    const builtin = Object.hasOwn(this.builtinActions, action.name) ? this.builtinActions[action.name] : undefined;
    if (builtin === undefined) return undefined;
    const entry = this.plugins?.find('actions', action.name);
    if (entry) {
      throw new OscError(
        `action '${action.name}' is provided both by the engine and by plugin '${entry.pkg.name}' (${entry.pkg.packageJsonPath})`,
        location,
      );
    }
    return builtin;
  }

  /** The implementation of an action from a plugin (imported now), if any; for actions not built in. */
  private async pluginAction(action: ActionDecl, location: Location): Promise<ActionDefinition | undefined> {
    const entry = this.plugins?.find('actions', action.name);
    if (!entry || !this.plugins) return undefined;
    try {
      return await this.plugins.getAction(action.name);
    } catch (error) {
      throw atLocation(error, location);
    }
  }

  private missingActionMessage(action: ActionDecl): string {
    const library = this.pluginLibraryOf(action);
    if (library) {
      return (
        `no implementation found for action '${action.name}': it is declared in osc.${library.name} of plugin ` +
        `'${library.pkg}', whose manifest lists no action module for it`
      );
    }
    return (
      `no implementation found for action '${action.name}': neither the engine nor an installed plugin ` +
      `(a package named scenario-execution-plugin-*) provides it`
    );
  }

  /** The plugin library (and its package) a declaration comes from, if any. */
  private pluginLibraryOf(action: ActionDecl): { name: string; pkg: string } | undefined {
    const plugins = this.plugins;
    if (!plugins) return undefined;
    const path = action.location.file.path;
    for (const name of plugins.libraryNames()) {
      const entry = plugins.find('libraries', name);
      if (entry && (path === entry.file || path === `osc.${name}`)) return { name, pkg: entry.pkg.name };
    }
    return undefined;
  }

  /**
   * Wrap `node` in its modifiers: the last written innermost, the first
   * outermost. `rootName` is set for the scenario's own modifiers.
   */
  private applyModifiers(
    node: Behaviour,
    modifiers: readonly ModifierApplication[],
    action: { leaf: Behaviour; info: WrappedActionInfo } | undefined,
    rootName: string | undefined,
  ): MaybePromise<Behaviour> {
    // Built-in modifiers wrap without waiting; from the first plugin modifier on, the rest waits too.
    let current = node;
    for (let i = modifiers.length - 1; i >= 0; i--) {
      const application = modifiers[i] as ModifierApplication;
      if (!isBuiltinModifier(application.modifier.name)) {
        return this.applyModifiersFrom(current, modifiers, i, action, rootName);
      }
      current = this.wrapInBuiltin(application, this.modifierNodeName(application, i, rootName), current);
    }
    return current;
  }

  /** The name of the node of modifier `index`: the scenario's own first modifier takes the scenario's name. */
  private modifierNodeName(application: ModifierApplication, index: number, rootName: string | undefined): string {
    return rootName !== undefined && index === 0 ? rootName : application.modifier.name;
  }

  private wrapInBuiltin(application: ModifierApplication, name: string, child: Behaviour): Behaviour {
    const modifierName = application.modifier.name;
    const args = this.modifierArgs(application);
    try {
      return createBuiltinDecorator(modifierName, name, child, args, this.clock);
    } catch (error) {
      throw new OscError(`Modifier "${modifierName}" ${errorMessage(error)}.`, application.location);
    }
  }

  /** `applyModifiers` from modifier `from` down to the first, waiting for plugin modifiers. */
  private async applyModifiersFrom(
    node: Behaviour,
    modifiers: readonly ModifierApplication[],
    from: number,
    action: { leaf: Behaviour; info: WrappedActionInfo } | undefined,
    rootName: string | undefined,
  ): Promise<Behaviour> {
    let current = node;
    for (let i = from; i >= 0; i--) {
      const application = modifiers[i] as ModifierApplication;
      const name = this.modifierNodeName(application, i, rootName);
      if (isBuiltinModifier(application.modifier.name)) current = this.wrapInBuiltin(application, name, current);
      else current = await this.applyPluginModifier(application, name, current, this.modifierArgs(application), action);
    }
    return current;
  }

  private async applyPluginModifier(
    application: ModifierApplication,
    name: string,
    child: Behaviour,
    args: ArgMap,
    action: { leaf: Behaviour; info: WrappedActionInfo } | undefined,
  ): Promise<Behaviour> {
    const modifierName = application.modifier.name;
    let definition: Awaited<ReturnType<PluginRegistry['getModifier']>>;
    try {
      definition = await this.plugins?.getModifier(modifierName);
    } catch (error) {
      throw atLocation(error, application.location);
    }
    if (!definition) {
      throw new OscError(
        `Unknown modifier "${modifierName}". Available built-in modifiers: ${BUILTIN_MODIFIERS.join(', ')}. ` +
          'No plugin provides it either.',
        application.location,
      );
    }
    let wrapped: unknown;
    try {
      wrapped = await definition.wrap({
        child,
        // Also when modifiers written after this one already wrap the action.
        action: action?.info,
        args,
        logger: this.logger,
        location: locationText(application.location),
      });
    } catch (error) {
      throw atLocation(error, application.location, `Modifier "${modifierName}": `);
    }
    if (!looksLikeBehaviour(wrapped)) {
      throw new OscError(`Modifier "${modifierName}" did not return a behaviour`, application.location);
    }
    if (name !== modifierName) wrapped.name = name;
    return wrapped;
  }

  /** A modifier's arguments, resolved while building (as the engine does). */
  private modifierArgs(application: ModifierApplication): ArgMap {
    const args: ArgMap = {};
    for (const arg of application.args) {
      try {
        args[arg.name] = evaluateToWire(arg.value, this.blackboard);
      } catch (error) {
        throw atLocation(error, application.location, `Modifier "${application.modifier.name}": `);
      }
    }
    return args;
  }

  /** An action without implementation may only be built when a plugin modifier replaced it. */
  private rejectMissingActions(root: Behaviour): void {
    for (const node of root.iterate()) {
      if (node instanceof MissingAction) throw new OscError(node.message, node.location);
    }
  }
}

/** Build the behaviour tree of a resolved scenario. */
export function buildTree(options: BuildTreeOptions): Promise<BuiltTree> {
  return new TreeBuilder(options).build();
}
