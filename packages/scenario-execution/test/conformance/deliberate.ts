/**
 * Our outcome of each fixture marked `# deliberate:` (a deliberate difference from the
 * Python engine, whose outcome stays in expected.ts): what the test asserts for it, with
 * our rejection (place and normalised reason, see rejection.mjs) when we reject the file.
 * Recorded from our engine with record.mjs; check every change against the fixture's header.
 */
export const OUR_DELIBERATE_OUTCOMES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  expr_float_plus_int: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_mixed'", 'INFO 1.5', "INFO Scenario 'show_mixed' succeeded."],
  },
  expr_int_division_into_float: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_int_division'", 'INFO 3.5', "INFO Scenario 'show_int_division' succeeded."],
  },
  expr_int_division_into_int: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '7:28', reason: 'type-mismatch float,int' },
  },
  expr_int_into_float: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_widened'", 'INFO 3.0', "INFO Scenario 'show_widened' succeeded."],
  },
  expr_negation_same_name: { exit: 1, loaded: false, log: [], rejection: { at: '8:8', reason: 'duplicate repeated' } },
  inv_action_of_base_actor: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '13:9', reason: 'no-implementation thing.place' },
  },
  inv_actor_action_keep: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '24:13', reason: 'no-implementation thing.place' },
  },
  inv_actor_action_named_arg: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '12:9', reason: 'no-implementation thing.place' },
  },
  list_not_a_list_type: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_list'", 'INFO unreachable', "INFO Scenario 'show_list' succeeded."],
  },
  mod_unknown_modifier: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '9:9', reason: 'unknown-name no_such_behaviour' },
  },
  ovr_actor_not_overridable: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '-', reason: 'parameter-value value' },
  },
  ovr_derived_parameter: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO override', "INFO Scenario 'show' succeeded."],
  },
  ovr_length_expression: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 2', "INFO Scenario 'show' succeeded."],
  },
  ovr_length_km_float_for_int: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 2500.0', "INFO Scenario 'show' succeeded."],
  },
  ovr_nested_struct_lists_default: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '13:46', reason: 'type-mismatch listofstring,string' },
  },
  param_global_struct_member_access: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'left': 'l', 'right': 'r'}",
      'INFO r',
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_keep_without_it: { exit: 1, loaded: false, log: [], rejection: { at: '9:14', reason: 'invalid-keep' } },
  param_struct_call_argument_wrong_type: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '9:25', reason: 'type-mismatch int,string' },
  },
  param_struct_call_list_field_given_string: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '9:30', reason: 'type-mismatch listofstring,string' },
  },
  proc_no_wait_for_shutdown: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'process_background'",
      'INFO Sending SIGTERM to process...',
      'INFO Waiting 10s for process to finish...',
      'INFO Process finished.',
      "INFO Scenario 'process_background' succeeded.",
    ],
  },
  proc_shutdown_signal: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'process_signal'",
      'INFO Sending SIGINT to process...',
      'INFO Waiting 10s for process to finish...',
      'INFO Process finished.',
      "INFO Scenario 'process_signal' succeeded.",
    ],
  },
  tmpl_all_kinds: {
    exit: 0,
    loaded: false,
    log: ['INFO Created scenario parameter file template: <dir>/tmpl_all_kinds.template-output.yaml'],
    template:
      '{"all_kinds": {"bool_set": True, "bool_unset": False, "float_set": 3.1, "float_unset": 0.0, "int_list_set": [1, 2, 3], "int_list_unset": [], "int_set": 42, "int_unset": 0, "str_set": "hello", "str_unset": "", "struct_list_set": [{"orientation": {"pitch": 0.2, "roll": 0.1, "yaw": 0.3}, "position": {"x": 1.0, "y": 2.0, "z": 3.0}}], "struct_list_unset": [], "struct_set": {"orientation": {"pitch": 0.2, "roll": 0.1, "yaw": 0.3}, "position": {"x": 1.0, "y": 2.0, "z": 3.0}}, "struct_unset": {"orientation": {"pitch": 0.0, "roll": 0.0, "yaw": 0.0}, "position": {"x": 0.0, "y": 0.0, "z": 0.0}}, "time_set": 42, "time_unset": 0.0}}',
  },
  tmpl_physical_units: {
    exit: 0,
    loaded: false,
    log: ['INFO Created scenario parameter file template: <dir>/tmpl_physical_units.template-output.yaml'],
    template:
      '{"physical_units": {"behind": -3, "distances": [1000, 2.0], "far": 3.0, "item": {"distance": 2, "distances": [1000], "inner": {"depth": 5}, "pause": 250}, "items": [{"distance": 7, "distances": [1000], "inner": {"depth": 5}, "pause": 250}], "named": {"distance": 3, "distances": [1000], "inner": {"depth": 5}, "pause": 1.0}, "near": 3, "pause": 500, "short_pause": 42.5, "turn": 90}}',
  },
  tmpl_simple: {
    exit: 0,
    loaded: false,
    log: ['INFO Created scenario parameter file template: <dir>/tmpl_simple.template-output.yaml'],
    template: '{"simple_template": {"chosen": "fast", "label": "robot", "speed": 1.5}}',
  },
  unsup_element_access: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'check'", 'INFO unreachable', "INFO Scenario 'check' succeeded."],
  },
  unsup_external_method_unknown: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '6:42', reason: 'invalid-external' },
  },
  vars_float_no_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 0.0', "INFO Scenario 'show' succeeded."],
  },
  wait_elapsed_expression: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO Scenario 'show' succeeded."],
  },
  wait_elapsed_parameter: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO Scenario 'show' succeeded."],
  },
  wait_elapsed_plain_number: {
    exit: 1,
    loaded: false,
    log: [],
    rejection: { at: '6:22', reason: 'type-mismatch int,time' },
  },
};
