/**
 * The `hello` action: greets someone once, then succeeds.
 *
 *     import osc.hello
 *     scenario greet:
 *         do hello(person: "robot")   # logs "Hello, robot!"
 */
import { type ActionDefinition, type ActionLogger, Status } from 'scenario-execution';

const hello: ActionDefinition = {
  create() {
    let logger: ActionLogger | undefined;
    let greeting = '';
    return {
      setup(ctx) {
        logger = ctx.logger;
      },
      // `person` is resolved each time the invocation starts (variables read then).
      execute(args) {
        greeting = `Hello, ${String(args.person)}!`;
      },
      update() {
        logger?.info(greeting);
        return Status.SUCCESS;
      },
    };
  },
};

export default hello;
