export { ASSOCIATED_ACTOR, InvocationArgs } from './action-args.js';
export { type BuildTreeOptions, type BuiltTree, buildTree } from './build-tree.js';
export { BUILTIN_MODIFIERS, createBuiltinDecorator, isBuiltinModifier } from './builtin-modifiers.js';
export { conditionName, elapsedName, locationText } from './names.js';
