/**
 * What the Python engine did with each fixture: its exit status, whether the scenario
 * started, and the compared log records (see outcome.mjs); for a file it rejected, its
 * error (place and message, compared by rejection.mjs). Recorded with record.mjs;
 * edit by re-recording, not by hand.
 */
export const PYTHON_ENGINE = {
  name: 'python',
  version: 'scenario_execution 1.4.0',
  details: 'py_trees 2.2.3, Python 3.11.2 (/work/pyref/venv/bin/python)',
} as const;

export const PYTHON_OUTCOMES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  act_decrement_actor_non_variable: { exit: 1 },
  act_decrement_actor_var: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'dec_actor_var'", "INFO Scenario 'dec_actor_var' succeeded."],
  },
  act_decrement_non_variable: { exit: 1 },
  act_decrement_struct_var_repeat: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'dec_nested_repeat'", "INFO Scenario 'dec_nested_repeat' succeeded."],
  },
  act_decrement_unknown_variable: { exit: 1, loaded: false, log: [] },
  act_decrement_var: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'dec_var'", "INFO Scenario 'dec_var' succeeded."],
  },
  act_increment_actor_non_variable: { exit: 1 },
  act_increment_actor_var: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'inc_actor_var'", "INFO Scenario 'inc_actor_var' succeeded."],
  },
  act_increment_actor_var_initial: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'inc_actor_initial'", "INFO Scenario 'inc_actor_initial' succeeded."],
  },
  act_increment_non_variable: { exit: 1 },
  act_increment_struct_non_variable: { exit: 1 },
  act_increment_struct_var: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'inc_nested'", "INFO Scenario 'inc_nested' succeeded."],
  },
  act_increment_unknown_variable: { exit: 1, loaded: false, log: [] },
  act_increment_var: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'inc_var'", "INFO Scenario 'inc_var' succeeded."],
  },
  act_increment_var_initial: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'inc_initial'", "INFO Scenario 'inc_initial' succeeded."],
  },
  act_increment_var_uninitialized: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'inc_uninitialized'",
      'ERROR inc_uninitialized: execution failed. -^- inc_uninitialized [✕] -- timed out\n    {-} inc_uninitialized [-]\n        {-} serial [-]\n            --> counter==42 [-]',
    ],
  },
  comp_one_of: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'pick_first'", "INFO Scenario 'pick_first' succeeded."],
  },
  comp_parallel: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'side_by_side'", "INFO Scenario 'side_by_side' succeeded."],
  },
  enum_fully_numbered: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_enum'",
      "INFO {'first': ('red', 4), 'second': ('green', 19)}",
      "INFO Scenario 'show_enum' succeeded.",
    ],
  },
  enum_implicit_values: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_enum'",
      "INFO {'first': ('red', 0), 'second': ('green', 1)}",
      "INFO Scenario 'show_enum' succeeded.",
    ],
  },
  enum_partly_numbered: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_enum'",
      "INFO {'first': ('red', 4), 'second': ('green', 5)}",
      "INFO Scenario 'show_enum' succeeded.",
    ],
  },
  enum_reference: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_enum'",
      "INFO {'shade': ('red', 0)}",
      "INFO ('red', 0)",
      "INFO Scenario 'show_enum' succeeded.",
    ],
  },
  enum_reference_other_enum: { exit: 1, loaded: false, log: [] },
  enum_reference_unknown_member: { exit: 1, loaded: false, log: [] },
  enum_reference_unknown_type: { exit: 1, loaded: false, log: [] },
  evt_declare_reserved_name: { exit: 1, loaded: false, log: [] },
  evt_emit_declared: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'good_emit'", "INFO Scenario 'good_emit' succeeded."],
  },
  evt_emit_end: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'ending'", "INFO Scenario 'ending' succeeded."],
  },
  evt_emit_fail: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'failing'",
      'ERROR failing: execution failed. {-} failing [✓]\n    {-} serial [✓]\n        --> emit fail [✓]',
    ],
  },
  evt_emit_unknown: { exit: 1, loaded: false, log: [] },
  evt_wait_for_event: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'waiter'", "INFO Scenario 'waiter' succeeded."],
  },
  exec_dry_run: { exit: 0, loaded: false, log: [] },
  exec_empty_file: { exit: 1, loaded: false, log: [] },
  exec_missing_file: { exit: 1, loaded: false, log: [] },
  exec_one_scenario: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'only_one'", 'INFO only one scenario here', "INFO Scenario 'only_one' succeeded."],
  },
  exec_two_scenarios: { exit: 1, loaded: false, log: [] },
  exec_wrong_extension: { exit: 1, loaded: false, log: [] },
  expr_add: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_sums'",
      'INFO 3.1',
      'INFO 3.1',
      'INFO 2.001',
      "INFO Scenario 'show_sums' succeeded.",
    ],
  },
  expr_add_different_types: { exit: 1, loaded: false, log: [] },
  expr_compound: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_compound'",
      'INFO True',
      'INFO True',
      "INFO Scenario 'show_compound' succeeded.",
    ],
  },
  expr_divide: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_quotients'",
      'INFO 2.5',
      'INFO 0.0025',
      "INFO Scenario 'show_quotients' succeeded.",
    ],
  },
  expr_float_into_int: { exit: 1, loaded: false, log: [] },
  expr_float_plus_int: { exit: 1, loaded: false, log: [] },
  expr_int_arithmetic: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_int_arith'",
      'INFO 5',
      'INFO 20',
      'INFO -5',
      "INFO Scenario 'show_int_arith' succeeded.",
    ],
  },
  expr_int_division_into_float: { exit: 1, loaded: false, log: [] },
  expr_int_division_into_int: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_int_division'", 'INFO 3.5', "INFO Scenario 'show_int_division' succeeded."],
  },
  expr_int_into_float: { exit: 1, loaded: false, log: [] },
  expr_int_plus_float: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_mixed'", 'INFO 1.5', "INFO Scenario 'show_mixed' succeeded."],
  },
  expr_multiply: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_products'",
      'INFO 2.2',
      'INFO 0.0022',
      "INFO Scenario 'show_products' succeeded.",
    ],
  },
  expr_negation: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_negations'",
      'INFO False',
      'INFO False',
      'INFO True',
      "INFO Scenario 'show_negations' succeeded.",
    ],
  },
  expr_negation_same_name: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_repeated'", 'INFO False', "INFO Scenario 'show_repeated' succeeded."],
  },
  expr_precedence: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_precedence'",
      'INFO 7.0',
      'INFO 9.0',
      'INFO True',
      'INFO False',
      "INFO Scenario 'show_precedence' succeeded.",
    ],
  },
  expr_relations: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_relations'",
      'INFO True',
      'INFO True',
      'INFO False',
      'INFO False',
      'INFO True',
      'INFO True',
      'INFO False',
      "INFO Scenario 'show_relations' succeeded.",
    ],
  },
  expr_string_compare: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_strings'",
      'INFO True',
      'INFO True',
      "INFO Scenario 'show_strings' succeeded.",
    ],
  },
  expr_subtract: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_differences'",
      'INFO 0.8999999999999999',
      'INFO 0.8999999999999999',
      'INFO 1.999',
      "INFO Scenario 'show_differences' succeeded.",
    ],
  },
  expr_subtract_different_types: { exit: 1, loaded: false, log: [] },
  expr_wait_condition: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'wait_on_expression'",
      'INFO condition met',
      "INFO Scenario 'wait_on_expression' succeeded.",
    ],
  },
  ext_common_directories: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'directories'", 'INFO <dir>', "INFO Scenario 'directories' succeeded."],
  },
  ext_unknown_method: { exit: 1, loaded: false, log: [] },
  inv_action_of_base_actor: { exit: 1, loaded: false, log: [] },
  inv_actor_action_keep: { exit: 1, loaded: false, log: [] },
  inv_actor_action_named_arg: { exit: 1, loaded: false, log: [] },
  inv_actor_action_param_associated_actor: { exit: 1, loaded: false, log: [] },
  inv_actor_action_param_called_name: { exit: 1, loaded: false, log: [] },
  inv_actor_action_physical_keeps: { exit: 1, loaded: false, log: [] },
  inv_base_values_physical: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'base_values'",
      "INFO {'position': {'x': 0, 'y': 0, 'z': 0}, 'orientation': {'roll': 0, 'pitch': 0, 'yaw': 0}}",
      "INFO {'position': {'x': 0.0, 'y': 0.0, 'z': 0.1}, 'orientation': {'roll': 1.0, 'pitch': 0, 'yaw': 0.0}}",
      "INFO Scenario 'base_values' succeeded.",
    ],
  },
  inv_default_arg: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'defaulted'", 'INFO base', "INFO Scenario 'defaulted' succeeded."],
  },
  inv_missing_args: { exit: 1 },
  inv_named_arg: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'named'", 'INFO override1', "INFO Scenario 'named' succeeded."],
  },
  inv_positional_arg: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'positional'", 'INFO override1', "INFO Scenario 'positional' succeeded."],
  },
  inv_struct_param_incomplete: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'struct_incomplete'",
      "INFO {'left': 'OVERRIDE1', 'right': None}",
      "INFO Scenario 'struct_incomplete' succeeded.",
    ],
  },
  inv_struct_param_mixed_override: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'struct_mixed'",
      "INFO {'first': 'OVERRIDE1', 'second': 'val2', 'third': 'OVERRIDE3'}",
      "INFO Scenario 'struct_mixed' succeeded.",
    ],
  },
  inv_struct_param_named_override: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'struct_named'",
      "INFO {'left': 'val1', 'right': 'OVERRIDE'}",
      "INFO Scenario 'struct_named' succeeded.",
    ],
  },
  inv_struct_param_positional_override: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'struct_positional'",
      "INFO {'left': 'OVERRIDE', 'right': 'val2'}",
      "INFO Scenario 'struct_positional' succeeded.",
    ],
  },
  inv_too_many_named_args: { exit: 1, loaded: false, log: [] },
  inv_too_many_positional_args: { exit: 1, loaded: false, log: [] },
  inv_unknown_named_arg: { exit: 1, loaded: false, log: [] },
  keep_override_inherited_actor: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'keep_namespace'",
      "INFO {'namespace': 'test'}",
      "INFO Scenario 'keep_namespace' succeeded.",
    ],
  },
  list_assign_float_list: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_list'",
      'INFO [2.1, 4.3]',
      'INFO [2.1, 4.3]',
      "INFO Scenario 'show_list' succeeded.",
    ],
  },
  list_assign_struct_list: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_list'",
      "INFO [{'content': 'val1'}, {'content': 'val2'}]",
      "INFO [{'content': 'val1'}, {'content': 'val2'}]",
      "INFO Scenario 'show_list' succeeded.",
    ],
  },
  list_assign_wrong_element_type: { exit: 1, loaded: false, log: [] },
  list_empty_literal: { exit: 1, loaded: false, log: [] },
  list_mixed_types: { exit: 1, loaded: false, log: [] },
  list_not_a_list_type: { exit: 1, loaded: false, log: [] },
  list_of_different_structs: { exit: 1, loaded: false, log: [] },
  list_of_string: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show_list'", "INFO ['foo', 'bar']", "INFO Scenario 'show_list' succeeded."],
  },
  list_of_struct: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_list'",
      "INFO [{'content': 'val1'}, {'content': 'val2'}]",
      "INFO Scenario 'show_list' succeeded.",
    ],
  },
  mod_failure_is_running: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'keeps_running'", "INFO Scenario 'keeps_running' succeeded."],
  },
  mod_failure_is_success: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'turns_positive'", "INFO Scenario 'turns_positive' succeeded."],
  },
  mod_inverter_of_failure: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'invert_false'", "INFO Scenario 'invert_false' succeeded."],
  },
  mod_inverter_of_success: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'invert_true'",
      "ERROR invert_true: execution failed. {-} invert_true [✕]\n    -^- inverter [✕] -- success -> failure\n        {-} serial [✓]\n            --> run_process [✓] -- Successfully executed '['true']'",
    ],
  },
  mod_inverter_three_times: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'triple_invert'", "INFO Scenario 'triple_invert' succeeded."],
  },
  mod_modifier_after_action: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'modifier_last'", "INFO Scenario 'modifier_last' succeeded."],
  },
  mod_repeat_root: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'twice'",
      'INFO first line',
      'INFO second line',
      'INFO first line',
      'INFO second line',
      "INFO Scenario 'twice' succeeded.",
    ],
  },
  mod_repeat_subtree: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'nested_repeat'",
      'INFO outer start',
      'INFO inner a',
      'INFO inner b',
      'INFO inner a',
      'INFO inner b',
      'INFO outer end',
      'INFO outer start',
      'INFO inner a',
      'INFO inner b',
      'INFO inner a',
      'INFO inner b',
      'INFO outer end',
      "INFO Scenario 'nested_repeat' succeeded.",
    ],
  },
  mod_retry_exhausted: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'always_failing'",
      'INFO attempt',
      'INFO attempt',
      'INFO attempt',
      'ERROR always_failing: execution failed. {-} always_failing [✕]\n    -^- retry\n        {-} serial\n            --> log\n            --> run_process',
    ],
  },
  mod_retry_first_ok: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'succeeds_at_once'", 'INFO attempt', "INFO Scenario 'succeeds_at_once' succeeded."],
  },
  mod_retry_then_timeout_per_attempt: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'per_attempt_timeout'",
      'INFO attempt',
      'INFO attempt',
      'INFO attempt',
      'ERROR per_attempt_timeout: execution failed. {-} per_attempt_timeout [✕]\n    -^- retry\n        -^- timeout\n            -^- inverter\n                {-} serial\n                    --> log\n                    --> wait 0.05s\n                    --> run_process',
    ],
  },
  mod_retry_timeout_inverter: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'stacked'",
      'INFO attempt',
      'INFO attempt',
      'INFO attempt',
      'ERROR stacked: execution failed. {-} stacked [✕]\n    -^- retry\n        -^- timeout\n            -^- inverter\n                {-} serial\n                    --> wait 0.05s\n                    --> log\n                    --> run_process',
    ],
  },
  mod_running_is_failure: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'impatient'",
      "ERROR impatient: execution failed. {-} impatient [✕]\n    /_/ parallel [✕]\n        {-} serial [✕]\n            -^- running_is_failure [✕] -- running is failure [Executing '['sleep', '5']']\n                --> run_process [-] -- Executing '['sleep', '5']'\n        {-} serial [-]\n            --> wait 0.5s [-] -- still running\n            --> emit end",
    ],
  },
  mod_running_is_success: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'good_enough'", "INFO Scenario 'good_enough' succeeded."],
  },
  mod_scenario_level_timeout: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'guarded'", 'INFO inside', "INFO Scenario 'guarded' succeeded."],
  },
  mod_scenario_level_timeout_after_do: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'guarded_after'",
      'INFO inside',
      'ERROR guarded_after: execution failed. -^- guarded_after [✕] -- timed out\n    {-} guarded_after [-]\n        {-} serial [-]\n            --> log\n            --> wait 1s [-] -- still running',
    ],
  },
  mod_scenario_level_timeout_fires: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'guarded_slow'",
      'INFO inside',
      'ERROR guarded_slow: execution failed. -^- guarded_slow [✕] -- timed out\n    {-} guarded_slow [-]\n        {-} serial [-]\n            --> log\n            --> wait 1s [-] -- still running',
    ],
  },
  mod_success_is_failure: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'gloomy'",
      "ERROR gloomy: execution failed. {-} gloomy [✕]\n    /_/ parallel [✕]\n        {-} serial [✕]\n            -^- success_is_failure [✕] -- success is failure [Successfully executed '['true']']\n                --> run_process [✓] -- Successfully executed '['true']'\n        {-} serial [-]\n            --> wait 0.5s [-] -- still running\n            --> emit end",
    ],
  },
  mod_success_is_running: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'never_done'", "INFO Scenario 'never_done' succeeded."],
  },
  mod_timeout_fires: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'too_slow'",
      'ERROR too_slow: execution failed. {-} too_slow [✕]\n    -^- timeout [✕] -- timed out\n        {-} serial [-]\n            --> wait 1s [-] -- still running\n            --> emit end',
    ],
  },
  mod_timeout_not_reached: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'fast_enough'", "INFO Scenario 'fast_enough' succeeded."],
  },
  mod_timeout_over_all_retries: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'overall_timeout'",
      'INFO attempt',
      'INFO attempt',
      'ERROR overall_timeout: execution failed. {-} overall_timeout [✕]\n    -^- timeout [✕] -- timed out\n        -^- retry [-] -- running [status: 2 failure from 3]\n            -^- inverter [-]\n                {-} serial [-]\n                    --> wait 0.5s [-] -- still running\n                    --> log\n                    --> run_process',
    ],
  },
  mod_timeout_over_all_retries_not_reached: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'overall_timeout_long'",
      'INFO attempt',
      'INFO attempt',
      'INFO attempt',
      'ERROR overall_timeout_long: execution failed. {-} overall_timeout_long [✕]\n    -^- timeout\n        -^- retry\n            -^- inverter\n                {-} serial\n                    --> log\n                    --> wait 0.1s\n                    --> run_process',
    ],
  },
  mod_two_with_blocks_and_repeat: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'blocks_and_repeat'",
      'INFO round',
      'INFO round',
      'INFO round',
      'INFO round',
      "INFO Scenario 'blocks_and_repeat' succeeded.",
    ],
  },
  mod_unknown_modifier: { exit: 1, loaded: false, log: [] },
  mod_with_block_and_serial_repeat: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'block_and_repeat'",
      'INFO round',
      'INFO round',
      "INFO Scenario 'block_and_repeat' succeeded.",
    ],
  },
  mod_with_block_keep_and_modifier: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'keep_then_modifier'", "INFO Scenario 'keep_then_modifier' succeeded."],
  },
  mod_with_block_on_action: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'action_with_block'", "INFO Scenario 'action_with_block' succeeded."],
  },
  ovr_actor_not_overridable: { exit: 1, loaded: false, log: [] },
  ovr_angle_deg: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      'INFO 3.1415926536',
      'INFO 0.79412480966',
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_base_params: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      'INFO override',
      'INFO 99.0',
      'INFO False',
      'INFO 42',
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_bool_unset: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO True', "INFO Scenario 'show' succeeded."],
  },
  ovr_bool_unset_string_value: { exit: 1, loaded: false, log: [] },
  ovr_derived_parameter: { exit: 1, loaded: false, log: [] },
  ovr_empty_file: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO kept', "INFO Scenario 'show' succeeded."],
  },
  ovr_float_unset: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 42.0', "INFO Scenario 'show' succeeded."],
  },
  ovr_float_unset_int_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 42.0', "INFO Scenario 'show' succeeded."],
  },
  ovr_float_unset_string_value: { exit: 1, loaded: false, log: [] },
  ovr_int_into_float: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 42.0', "INFO Scenario 'show' succeeded."],
  },
  ovr_int_unset: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 42', "INFO Scenario 'show' succeeded."],
  },
  ovr_int_unset_float_value: { exit: 1, loaded: false, log: [] },
  ovr_length_expression: { exit: 1, loaded: false, log: [] },
  ovr_length_km: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 2000', "INFO Scenario 'show' succeeded."],
  },
  ovr_length_km_float_for_int: { exit: 1, loaded: false, log: [] },
  ovr_length_km_float_literal: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 2000.0', "INFO Scenario 'show' succeeded."],
  },
  ovr_length_km_negative: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 2000', "INFO Scenario 'show' succeeded."],
  },
  ovr_length_unset: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 42.0', "INFO Scenario 'show' succeeded."],
  },
  ovr_length_unset_string_value: { exit: 1, loaded: false, log: [] },
  ovr_list_cleared: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO []', "INFO Scenario 'show' succeeded."],
  },
  ovr_list_of_float: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO [4.0, 4.1]', "INFO Scenario 'show' succeeded."],
  },
  ovr_list_of_float_bad_element: { exit: 1, loaded: false, log: [] },
  ovr_list_of_float_given_mapping: { exit: 1, loaded: false, log: [] },
  ovr_list_of_float_unset: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO [4.0, 4.1]', "INFO Scenario 'show' succeeded."],
  },
  ovr_list_of_length_km: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO [1.0, 2.5]', "INFO Scenario 'show' succeeded."],
  },
  ovr_list_of_struct: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO [{'count': 3, 'number': 3.22}, {'count': 4, 'number': 4.22}]",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_list_of_struct_field_units: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO [{'distance': 1000, 'pause': 0.25, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}, {'distance': 2000, 'pause': 0.004, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}]",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_list_of_struct_unknown_member: { exit: 1, loaded: false, log: [] },
  ovr_list_of_struct_unset: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO [{'count': 3, 'number': 3.22}, {'count': 4, 'number': 4.22}]",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_list_of_struct_with_length_list: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO [{'distances': [14.0, 14.1]}, {'distances': [15.0, 15.1]}]",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_list_of_struct_with_list_full_init: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO [{'numbers': [4.0, 4.1]}, {'numbers': [5.0, 5.1]}]",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_list_of_struct_with_list_init: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO [{'numbers': [4.0, 4.1]}, {'numbers': [5.0, 5.1]}]",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_list_of_struct_with_list_no_init: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO [{'numbers': [4.0, 4.1]}, {'numbers': [5.0, 5.1]}]",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_nested_struct_lists: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'entries': [{'words': ['foo', 'bar']}, {'words': ['Hello', 'World']}]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_nested_struct_lists_default: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'entries': [{'words': ['foo', 'bar']}, {'words': ['Hello', 'World']}]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_nested_struct_lists_sub_default: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'entries': [{'words': ['foo', 'bar']}, {'words': ['Hello', 'World']}]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_number_into_string: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 42.0', "INFO Scenario 'show' succeeded."],
  },
  ovr_physical_string_value: { exit: 1, loaded: false, log: [] },
  ovr_physical_with_helpers: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 3.14', "INFO Scenario 'show' succeeded."],
  },
  ovr_pose_3d: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'position': {'x': 0.0, 'y': 0.0, 'z': 0.0}, 'orientation': {'roll': 0.0, 'pitch': 1.23, 'yaw': 0.0}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_string_into_bool: { exit: 1, loaded: false, log: [] },
  ovr_string_into_float: { exit: 1, loaded: false, log: [] },
  ovr_string_unset: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO override', "INFO Scenario 'show' succeeded."],
  },
  ovr_struct_empty_call_member: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'number': 4.2}", "INFO Scenario 'show' succeeded."],
  },
  ovr_struct_empty_call_override_all: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'text': 'override', 'number': 42.0}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_empty_call_override_number: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'text': 'test', 'number': 42.0}", "INFO Scenario 'show' succeeded."],
  },
  ovr_struct_empty_call_override_text: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'text': 'override', 'number': 1.0}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_empty_override: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'text': 'override', 'number': 42.0}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_field_units: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'distance': 5000, 'pause': 0.002, 'free': 3, 'inner': {'depth': 0.007}, 'distances': [1.0, 2.0]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_field_units_named: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'distance': 0.005, 'pause': 2.0, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_field_units_positional: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'distance': 0.005, 'pause': 120, 'free': None, 'inner': {'depth': 0.005}, 'distances': [1000]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_field_units_unset: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'distance': 5000, 'pause': 0.25, 'free': None, 'inner': {'depth': 0.007}, 'distances': [1000]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_named_arg: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'text': 'override'}", "INFO Scenario 'show' succeeded."],
  },
  ovr_struct_partial_1: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'text': 'override', 'number': 42.0}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_partial_2: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'text': 'hello', 'number': 42.0}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_positional_arg: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'text': 'override'}", "INFO Scenario 'show' succeeded."],
  },
  ovr_struct_with_list_default: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'count': 42, 'numbers': [4.0, 4.1]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_with_list_member_unset: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'count': 42, 'numbers': [4.0, 4.1]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_with_list_positional_init: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'count': 42, 'numbers': [4.0, 4.1]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_struct_with_list_unset: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'count': 42, 'numbers': [4.0, 4.1]}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_sub_struct_member: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'inner': {'text': 'override'}}", "INFO Scenario 'show' succeeded."],
  },
  ovr_sub_struct_member_empty_call: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'text': 'test', 'number': 42.0, 'inner': {'text': 'override'}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_sub_struct_member_unknown: { exit: 1, loaded: false, log: [] },
  ovr_sub_struct_member_wrong_type: { exit: 1, loaded: false, log: [] },
  ovr_sub_sub_struct_member: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'inner': {'innermost': {'number': 42.0}}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_sub_sub_struct_member_length: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'inner': {'innermost': {'distance': 42.0}}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  ovr_sub_sub_struct_member_length_invalid: { exit: 1, loaded: false, log: [] },
  ovr_sub_sub_struct_member_unknown: { exit: 1, loaded: false, log: [] },
  ovr_time_ms: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 0.001', 'INFO 0.0015', "INFO Scenario 'show' succeeded."],
  },
  ovr_unknown_parameter: { exit: 1, loaded: false, log: [] },
  ovr_unknown_scenario: { exit: 1, loaded: false, log: [] },
  ovr_variable_not_overridable: { exit: 1, loaded: false, log: [] },
  param_action_inheritance: { exit: 0, loaded: false, log: [] },
  param_action_inherits_unknown: { exit: 1, loaded: false, log: [] },
  param_actor_inheritance: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'x': 'base', 'y': 'derived'}", "INFO Scenario 'show' succeeded."],
  },
  param_actor_inherits_unknown: { exit: 1, loaded: false, log: [] },
  param_enum_no_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO {}', 'INFO {}', "INFO Scenario 'show' succeeded."],
  },
  param_global_in_actor_default: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'z': 'z_global'}", "INFO Scenario 'show' succeeded."],
  },
  param_global_in_struct_default: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'z': 'z_global'}", "INFO Scenario 'show' succeeded."],
  },
  param_global_indirect_1: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO hey!', 'INFO hey!', "INFO Scenario 'show' succeeded."],
  },
  param_global_indirect_2: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO hey!', 'INFO hey!', 'INFO hey!', "INFO Scenario 'show' succeeded."],
  },
  param_global_indirect_into_scenario: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO hey!', "INFO Scenario 'show' succeeded."],
  },
  param_global_indirect_not_found: { exit: 1, loaded: false, log: [] },
  param_global_indirect_wrong_type: { exit: 1, loaded: false, log: [] },
  param_global_string: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO hey!', "INFO Scenario 'show' succeeded."],
  },
  param_global_struct_keep_unknown_member: { exit: 1, loaded: false, log: [] },
  param_global_struct_member_access: { exit: 1, loaded: false, log: [] },
  param_global_struct_with_keep: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'x': 'override_x', 'y': 'value_y'}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_global_unknown_type: { exit: 1, loaded: false, log: [] },
  param_invalid_text: { exit: 1, loaded: false, log: [] },
  param_keep_not_equal: { exit: 1, loaded: false, log: [] },
  param_keep_override: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'z': 'override'}", "INFO Scenario 'show' succeeded."],
  },
  param_keep_two_level_inheritance: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'x': 'override_x', 'y': 'base_y', 'z': 'value_z'}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_keep_unknown_member: { exit: 1, loaded: false, log: [] },
  param_keep_without_it: { exit: 1, loaded: false, log: [] },
  param_list_of_float_no_value: { exit: 1, loaded: true, log: ["INFO Executing scenario 'show'"] },
  param_list_of_struct_no_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO {}', "INFO Scenario 'show' succeeded."],
  },
  param_list_of_struct_with_list_no_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO {}', "INFO Scenario 'show' succeeded."],
  },
  param_member_keep_to_dict: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'x': 'override_x', 'y': 'value_y'}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_scenario_inheritance: { exit: 1, loaded: false, log: [] },
  param_scenario_inherits_unknown: { exit: 1, loaded: false, log: [] },
  param_scenario_struct_member_access: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO r', "INFO Scenario 'show' succeeded."],
  },
  param_struct_call_argument_wrong_type: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'content': 3}", "INFO Scenario 'show' succeeded."],
  },
  param_struct_call_list_field_given_string: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'tags': 'single'}", "INFO Scenario 'show' succeeded."],
  },
  param_struct_call_named_arg: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'first': 'val1', 'second': 'OVERRIDE'}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_struct_call_wrong_type: { exit: 1, loaded: false, log: [] },
  param_struct_default_empty_call: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'inner': {'member': 'base1'}}", "INFO Scenario 'show' succeeded."],
  },
  param_struct_default_from_global: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'inner': {'member': 'OVERRIDE'}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_struct_default_positional_call: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'inner': {'member': 'OVERRIDE'}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_struct_field_list_of_struct_no_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'entries': {'words': None}}", "INFO Scenario 'show' succeeded."],
  },
  param_struct_field_list_of_struct_partial_override: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'name': 'b', 'entries': {'words': ['foo'], 'size': 2}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_struct_field_list_of_struct_sub_default: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'entries': {'words': ['foo']}}",
      "INFO {'words': ['foo']}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_struct_in_struct: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'a': 'base_a', 'b': 'base_b'}",
      "INFO {'x': 'value_x', 'y': {'a': 'base_a', 'b': 'base_b'}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_struct_in_struct_in_struct: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'a': 'base_a'}",
      "INFO {'b': 'value_x', 'c': {'a': 'base_a'}}",
      "INFO {'d': 'value_x', 'e': {'b': 'value_x', 'c': {'a': 'base_a'}}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  param_struct_inheritance: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO {'x': 'base', 'y': 'derived'}", "INFO Scenario 'show' succeeded."],
  },
  param_struct_member_as_argument: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO STRUCT STRING', "INFO Scenario 'show' succeeded."],
  },
  param_struct_member_as_argument_two_level: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO INNER', "INFO Scenario 'show' succeeded."],
  },
  param_unknown_member_type: { exit: 1, loaded: false, log: [] },
  parse_action_of_actor: { exit: 0, loaded: false, log: [] },
  parse_action_plain: { exit: 0, loaded: false, log: [] },
  parse_action_unknown_actor: { exit: 1, loaded: false, log: [] },
  parse_actor_inheritance: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_derived'",
      "INFO {'first': 'value1', 'second': 'value2'}",
      "INFO Scenario 'show_derived' succeeded.",
    ],
  },
  parse_actor_inheritance_override: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_derived_override'",
      "INFO {'first': 'OVERRIDE', 'second': 'value2'}",
      "INFO Scenario 'show_derived_override' succeeded.",
    ],
  },
  parse_actor_member: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show_actor'",
      "INFO {'first': 'value1'}",
      'INFO value1',
      "INFO Scenario 'show_actor' succeeded.",
    ],
  },
  phys_default_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 3', "INFO Scenario 'show' succeeded."],
  },
  phys_wrong_unit: { exit: 1, loaded: false, log: [] },
  proc_command_with_argument: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'process_sleep'", "INFO Scenario 'process_sleep' succeeded."],
  },
  proc_echo_output: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'process_output'",
      'INFO hello from a process',
      'INFO after',
      "INFO Scenario 'process_output' succeeded.",
    ],
  },
  proc_keep_false: {
    exit: 1,
    loaded: true,
    log: [
      "INFO Executing scenario 'process_false'",
      "ERROR process_false: execution failed. -^- process_false [✕] -- child finished before timeout triggered\n    {-} process_false [✕]\n        {-} serial [✕]\n            --> run_process [✕] -- Execution of '['false']' failed with 1",
    ],
  },
  proc_keep_true: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'process_true'", "INFO Scenario 'process_true' succeeded."],
  },
  proc_no_wait_for_shutdown: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'process_background'", "INFO Scenario 'process_background' succeeded."],
  },
  proc_shutdown_signal: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'process_signal'", "INFO Scenario 'process_signal' succeeded."],
  },
  rand_get_int_wait: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'random_wait'", "INFO Scenario 'random_wait' succeeded."],
  },
  rand_get_string: { exit: 0, loaded: true, infoCount: 3 },
  rand_int_fixed_range: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'random_fixed'",
      'INFO 4',
      'INFO 2.5',
      'INFO only',
      "INFO Scenario 'random_fixed' succeeded.",
    ],
  },
  rand_method_as_behavior: { exit: 1, loaded: false, log: [] },
  si_factor: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 0.032', "INFO Scenario 'show' succeeded."],
  },
  si_physical_into_string: { exit: 1, loaded: false, log: [] },
  si_unit_factor_one: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO 3.2', "INFO Scenario 'show' succeeded."],
  },
  si_unit_of_unknown_type: { exit: 1, loaded: false, log: [] },
  std_import_robotics: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO robotics library loaded', "INFO Scenario 'show' succeeded."],
  },
  std_import_standard: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO standard library loaded', "INFO Scenario 'show' succeeded."],
  },
  std_import_types: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO types library loaded', "INFO Scenario 'show' succeeded."],
  },
  struct_all_definitions: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'part': {'text': 'hey!'}}",
      "INFO {'part': {'text': 'hey!'}}",
      "INFO {'part': {'text': 'hey!'}}",
      "INFO {'part': {'text': 'override'}}",
      "INFO {'part': {'text': 'override'}}",
      "INFO {'part': {'text': 'override'}}",
      "INFO {'part': {'text': 'override'}}",
      "INFO {'part': {'text': 'override'}}",
      "INFO {'part': {'text': 'override'}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  struct_multi_layer_keeps: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'mid': {'low': {'text': 'test'}}}",
      "INFO {'mid': {'low': {'text': 'override'}}}",
      "INFO {'mid': {'low': {'text': 'override'}}}",
      "INFO {'mid': {'low': {'text': 'override'}}}",
      "INFO {'mid': {'low': {'text': 'override'}}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  struct_sub_member_keep: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'mid': {'low': {'text': 'override'}}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  struct_sub_member_keep_unknown: { exit: 1, loaded: false, log: [] },
  tmpl_all_kinds: {
    exit: 0,
    loaded: false,
    log: ['INFO Created scenario parameter file template: <dir>/tmpl_all_kinds.template-output.yaml'],
    template:
      '{"all_kinds": {"bool_set": True, "bool_unset": False, "float_set": 3.1, "float_unset": 0.0, "int_list_set": [1, 2, 3], "int_list_unset": [], "int_set": 42, "int_unset": 0, "str_set": "hello", "str_unset": "", "struct_list_set": [{"orientation": {"pitch": 0.2, "roll": 0.1, "yaw": 0.3}, "position": {"x": 1.0, "y": 2.0, "z": 3.0}}], "struct_list_unset": [], "struct_set": {"orientation": {"pitch": 0.2, "roll": 0.1, "yaw": 0.3}, "position": {"x": 1.0, "y": 2.0, "z": 3.0}}, "struct_unset": {"orientation": {"pitch": 0.0, "roll": 0.0, "yaw": 0.0}, "position": {"x": 0.0, "y": 0.0, "z": 0.0}}, "time_set": 0.042, "time_unset": 0.0}}',
  },
  tmpl_physical_base_units: {
    exit: 0,
    loaded: false,
    log: ['INFO Created scenario parameter file template: <dir>/tmpl_physical_base_units.template-output.yaml'],
    template:
      '{"base_units": {"distances": [1000, 2.0], "fraction": 1.0, "item": {"distance": 2, "pause": 0.5}, "items": [{"distance": 7000, "pause": 0.5}], "product": 6000, "speed_value": 1.5, "unset": 0.0, "whole": 1}}',
  },
  tmpl_physical_units: {
    exit: 0,
    loaded: false,
    log: ['INFO Created scenario parameter file template: <dir>/tmpl_physical_units.template-output.yaml'],
    template:
      '{"physical_units": {"behind": -3000, "distances": [1000, 2.0], "far": 3000.0, "item": {"distance": 2000, "distances": [1000], "inner": {"depth": 0.005}, "pause": 0.25}, "items": [{"distance": 7000, "distances": [1000], "inner": {"depth": 0.005}, "pause": 0.25}], "named": {"distance": 0.003, "distances": [1000], "inner": {"depth": 0.005}, "pause": 1.0}, "near": 3000, "pause": 0.5, "short_pause": 0.0425, "turn": 1.5707963268}}',
  },
  tmpl_simple: {
    exit: 0,
    loaded: false,
    log: ['INFO Created scenario parameter file template: <dir>/tmpl_simple.template-output.yaml'],
    template: '{"simple_template": {"chosen": ["fast", 1], "label": "robot", "speed": 1.5}}',
  },
  unsup_actor_modifier: { exit: 1, loaded: false, log: [] },
  unsup_call: { exit: 1, loaded: false, log: [] },
  unsup_cast: { exit: 1, loaded: false, log: [] },
  unsup_conditional_inheritance: { exit: 1, loaded: false, log: [] },
  unsup_cover: { exit: 1, loaded: false, log: [] },
  unsup_do_in_action: { exit: 1, loaded: false, log: [] },
  unsup_do_in_action_with_scenario: { exit: 1, loaded: false, log: [] },
  unsup_element_access: { exit: 1, loaded: false, log: [] },
  unsup_enum_extend: { exit: 1, loaded: false, log: [] },
  unsup_event_every: { exit: 1, loaded: false, log: [] },
  unsup_event_fall: { exit: 1, loaded: false, log: [] },
  unsup_event_rise: { exit: 1, loaded: false, log: [] },
  unsup_external_method_unknown: { exit: 1, loaded: false, log: [] },
  unsup_keep_greater_equal: { exit: 1, loaded: false, log: [] },
  unsup_keep_greater_than: { exit: 1, loaded: false, log: [] },
  unsup_keep_less_equal: { exit: 1, loaded: false, log: [] },
  unsup_keep_less_than: { exit: 1, loaded: false, log: [] },
  unsup_modifier_of: { exit: 1, loaded: false, log: [] },
  unsup_range: { exit: 1, loaded: false, log: [] },
  unsup_record: { exit: 1, loaded: false, log: [] },
  unsup_remove_default: { exit: 1, loaded: false, log: [] },
  unsup_sample: { exit: 1, loaded: false, log: [] },
  unsup_type_test: { exit: 1, loaded: false, log: [] },
  unsup_until: { exit: 1, loaded: false, log: [] },
  vars_base_type: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'var_copy'", 'INFO eins', "INFO Scenario 'var_copy' succeeded."],
  },
  vars_float_no_value: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", 'INFO {}', "INFO Scenario 'show' succeeded."],
  },
  vars_struct_list_of_struct_field: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'show'",
      "INFO {'count': 1, 'entries': {'weight': 2.0}}",
      "INFO Scenario 'show' succeeded.",
    ],
  },
  vars_struct_member: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'var_from_member'", 'INFO foo', "INFO Scenario 'var_from_member' succeeded."],
  },
  vars_struct_member_of_member: {
    exit: 0,
    loaded: true,
    log: [
      "INFO Executing scenario 'var_from_deep_member'",
      'INFO bar',
      "INFO Scenario 'var_from_deep_member' succeeded.",
    ],
  },
  wait_elapsed_expression: { exit: 1, loaded: false, log: [] },
  wait_elapsed_ok: {
    exit: 0,
    loaded: true,
    log: ["INFO Executing scenario 'show'", "INFO Scenario 'show' succeeded."],
  },
  wait_elapsed_parameter: { exit: 1, loaded: false, log: [] },
  wait_elapsed_plain_number: { exit: 1, loaded: false, log: [] },
  wait_plain_number: { exit: 1, loaded: false, log: [] },
  wait_without_elapsed: { exit: 1, loaded: false, log: [] },
};

/** The error text of the Python engine's `Parsing of <file>: parsing failed <error>` record. */
export const PYTHON_REJECTIONS: Readonly<Record<string, string>> = {
  act_decrement_unknown_variable:
    'Error while creating tree: (line: 6, column: 18 in \'<dir>/act_decrement_unknown_variable.osc\') -> NOT_DECLARED: Identifier "NOT_DECLARED" not defined.',
  act_increment_unknown_variable:
    'Error while creating tree: (line: 6, column: 18 in \'<dir>/act_increment_unknown_variable.osc\') -> NOT_DECLARED: Identifier "NOT_DECLARED" not defined.',
  enum_reference_other_enum:
    'Error while creating tree: (line: 14, column: 4 in \'<dir>/enum_reference_other_enum.osc\') -> shade:colour=flavour!red: Parameter type "colour" does not match value type "flavour".',
  enum_reference_unknown_member:
    'Error while creating tree: (line: 8, column: 20 in \'<dir>/enum_reference_unknown_member.osc\') -> colour!purple: Enum type EnumDeclaration(colour): base_type=None, values={}, enum_name=colour does not have a member "purple".',
  enum_reference_unknown_type:
    "Error while creating tree: (line: 8, column: 20 in '<dir>/enum_reference_unknown_type.osc') -> NO_SUCH_ENUM!red: Enum type NO_SUCH_ENUM unknown.",
  evt_declare_reserved_name:
    "Error while creating py-tree: (line: 2, column: 4 in '<dir>/evt_declare_reserved_name.osc') -> eventend: EventDeclaration uses reserved name end.",
  evt_emit_unknown:
    "Error while creating tree: (line: 3, column: 8 in '<dir>/evt_emit_unknown.osc') -> emitNOT_DECLARED: EmitDirective refers to unknown event NOT_DECLARED.",
  exec_empty_file: 'No scenario defined.',
  exec_missing_file: 'File does not exist',
  exec_two_scenarios: 'More than one scenario defined.',
  exec_wrong_extension: "File has unknown extension '.sce_not'. Allowed [.osc, .sce]",
  expr_add_different_types:
    'Error while creating tree: (line: 7, column: 0 in \'<dir>/expr_add_different_types.osc\') -> globalbad_sum:time=2.0s+1.1: Parameter type "time" does not match value type "float".',
  expr_float_into_int:
    'Error while creating tree: (line: 4, column: 0 in \'<dir>/expr_float_into_int.osc\') -> globalnarrowed:int=3.5: Parameter type "int" does not match value type "float".',
  expr_float_plus_int:
    'Error while creating tree: (line: 7, column: 0 in \'<dir>/expr_float_plus_int.osc\') -> globalmixed:float=0.5+1: Parameter type "float" does not match value type "int".',
  expr_int_division_into_float:
    'Error while creating tree: (line: 7, column: 0 in \'<dir>/expr_int_division_into_float.osc\') -> globalint_quotient:float=7/2: Parameter type "float" does not match value type "int".',
  expr_int_into_float:
    'Error while creating tree: (line: 7, column: 0 in \'<dir>/expr_int_into_float.osc\') -> globalwidened:float=3: Parameter type "float" does not match value type "int".',
  expr_subtract_different_types:
    'Error while creating tree: (line: 7, column: 0 in \'<dir>/expr_subtract_different_types.osc\') -> globalbad_diff:time=2.0s-1.1: Parameter type "time" does not match value type "float".',
  ext_unknown_method:
    'Error while creating tree: (line: 5, column: 12 in \'<dir>/ext_unknown_method.osc\') -> random.no_such_method: Identifier "random.no_such_method": Could not resolved no_such_method.',
  inv_action_of_base_actor:
    "Error while creating py-tree: (line: 13, column: 17 in '<dir>/inv_action_of_base_actor.osc') -> obstacle.place(first:'override1'): No plugins found for action \"thing.place\".",
  inv_actor_action_keep:
    "Error while creating py-tree: (line: 24, column: 21 in '<dir>/inv_actor_action_keep.osc') -> obstacle.place()with:                keep(it.namespace=='ns'): No plugins found for action \"thing.place\".",
  inv_actor_action_named_arg:
    "Error while creating py-tree: (line: 12, column: 17 in '<dir>/inv_actor_action_named_arg.osc') -> obstacle.place(first:'override1'): No plugins found for action \"thing.place\".",
  inv_actor_action_param_associated_actor:
    "Error while creating tree: (line: 3, column: 0 in '<dir>/inv_actor_action_param_associated_actor.osc') -> actionthing.place:    associated_actor:string='NOTALLOWED'first:string: ActionDeclaration thing.place uses reserved paramater name \"associated_actor\".",
  inv_actor_action_param_called_name:
    "Error while creating tree: (line: 3, column: 0 in '<dir>/inv_actor_action_param_called_name.osc') -> actionthing.place:    name:string='NOTALLOWED': ActionDeclaration thing.place uses reserved paramater name \"name\".",
  inv_actor_action_physical_keeps:
    'Error while creating py-tree: (line: 33, column: 12 in \'<dir>/inv_actor_action_physical_keeps.osc\') -> robot.place()with:                keep(it.where.position.x==0.0m)keep(it.where.position.z==0.1m)keep(it.where.orientation.roll==1.0rad): No plugins found for action "thing.place".',
  inv_too_many_named_args:
    "Error while creating tree: (line: 6, column: 16 in '<dir>/inv_too_many_named_args.osc') -> log(msg:'one',msg2:'two',msg3:'three'): Named argument msg2 unknown.",
  inv_too_many_positional_args:
    "Error while creating tree: (line: 6, column: 16 in '<dir>/inv_too_many_positional_args.osc') -> log('one','two','three'): Too many positional arguments.",
  inv_unknown_named_arg:
    "Error while creating tree: (line: 6, column: 16 in '<dir>/inv_unknown_named_arg.osc') -> log(msg:'one',UNKNOWN:'two'): Named argument UNKNOWN unknown.",
  list_assign_wrong_element_type:
    'Error while creating tree: (line: 4, column: 0 in \'<dir>/list_assign_wrong_element_type.osc\') -> globalwords:listofstring=numbers: Parameter type "listofstring" does not match value type "listoffloat".',
  list_empty_literal: "line 3:33 no viable alternative at input '[]'",
  list_mixed_types:
    'Error while creating tree: (line: 3, column: 0 in \'<dir>/list_mixed_types.osc\') -> globalwords:listofstring=["foo",3]: List entry does not have valid type. Expected "string", found "int".',
  list_not_a_list_type:
    "Error creating internal model: (line: 8, column: 14 in '') -> listoffoo: Type name starting with listof is not allowed.",
  list_of_different_structs:
    "Error while creating tree: (line: 7, column: 0 in '<dir>/list_of_different_structs.osc') -> globalboxes:listofbox=[box('val1'),crate('invalid')]: List entry does not have valid type. Expected \"box\", found \"crate\".",
  mod_unknown_modifier:
    "Error while creating py-tree: (line: 5, column: 0 in '<dir>/mod_unknown_modifier.osc') -> modifierno_such_behaviour: Unknown modifier \"no_such_behaviour\". Available built-in modifiers: ['repeat', 'inverter', 'timeout', 'retry', 'failure_is_running', 'failure_is_success', 'running_is_failure', 'running_is_success', 'success_is_failure', 'success_is_running']. No plugin found either.",
  ovr_actor_not_overridable:
    'value Type not supported (supported: StructDeclaration, Basic and Physical Literal): ActorDeclaration(some_actor): base_type=None, values={}, actor=some_actor',
  ovr_bool_unset_string_value: 'value Expected bool, got str',
  ovr_derived_parameter:
    'derived_value Unknown override type (supported: FunctionApplicationExpression, BaseLiteral, PhysicalLiteral, ListExpression) IdentifierReference(): ref=ParameterDeclaration(base_value)',
  ovr_float_unset_string_value: 'value Expected int, float, got str',
  ovr_int_unset_float_value: 'value Expected int, got float',
  ovr_length_expression:
    'distance Unknown override type (supported: FunctionApplicationExpression, BaseLiteral, PhysicalLiteral, ListExpression) BinaryExpression(): operator=*',
  ovr_length_km_float_for_int: 'distance Invalid physical literal.',
  ovr_length_unset_string_value: 'value Expected int, float, got str',
  ovr_list_of_float_bad_element: 'value Expected int, float, got str',
  ovr_list_of_float_given_mapping: 'value Expected list, got dict',
  ovr_list_of_struct_unknown_member: 'value Unknown override values found: UNKNOWN',
  ovr_physical_string_value: 'distance Invalid physical literal.',
  ovr_string_into_bool: 'flag bool expected, found str',
  ovr_string_into_float: 'number float or int expected, found str',
  ovr_sub_struct_member_unknown: 'item inner Unknown override values found: UNKNOWN',
  ovr_sub_struct_member_wrong_type: 'item inner number float or int expected, found str',
  ovr_sub_sub_struct_member_length_invalid: 'item inner innermost distance Invalid physical literal.',
  ovr_sub_sub_struct_member_unknown: 'item inner innermost Unknown override values found: UNKNOWN',
  ovr_unknown_parameter: 'Scenario Parameter Overrides contain unknown parameter(s): UNKNOWN',
  ovr_unknown_scenario: 'Scenario Parameter Overrides contain unknown scenario(s): other_scenario',
  ovr_variable_not_overridable: 'Scenario Parameter Overrides contain unknown parameter(s): value',
  param_action_inherits_unknown:
    'Error while creating tree: (line: 3, column: 23 in \'<dir>/param_action_inherits_unknown.osc\') -> inheritsNO_SUCH_BASE: Action inherits from unknown "NO_SUCH_BASE".',
  param_actor_inherits_unknown:
    'Error while creating tree: (line: 3, column: 15 in \'<dir>/param_actor_inherits_unknown.osc\') -> inheritsNO_SUCH_BASE: Actor inherits from unknown "NO_SUCH_BASE".',
  param_global_indirect_not_found:
    'Error while creating tree: (line: 4, column: 22 in \'<dir>/param_global_indirect_not_found.osc\') -> level_UNKNOWN: Identifier "level_UNKNOWN" not defined.',
  param_global_indirect_wrong_type:
    'Error while creating tree: (line: 4, column: 0 in \'<dir>/param_global_indirect_wrong_type.osc\') -> globallevel_b:int=level_a: Parameter type "int" does not match value type "string".',
  param_global_struct_keep_unknown_member:
    'Error while creating tree: (line: 8, column: 8 in \'<dir>/param_global_struct_keep_unknown_member.osc\') -> keep(it.UNKNOWN=="override_x"): keep reference it.UNKNOWN not found in two_fields. Unknown key "UNKNOWN"',
  param_global_struct_member_access:
    'Error while creating tree: (line: 15, column: 12 in \'<dir>/param_global_struct_member_access.osc\') -> both.right: Identifier "both.right": Could not resolved right.',
  param_global_unknown_type:
    'Error while creating tree: (line: 3, column: 13 in \'<dir>/param_global_unknown_type.osc\') -> NO_SUCH_TYPE: Type "NO_SUCH_TYPE" not defined.',
  param_invalid_text:
    "line 1:0 extraneous input 'invalid' expecting {<EOF>, 'import', 'type', 'unit', 'enum', 'struct', 'actor', 'scenario', 'action', 'modifier', 'extend', 'global', NEWLINE}",
  param_keep_not_equal:
    'Error while creating tree: (line: 7, column: 8 in \'<dir>/param_keep_not_equal.osc\') -> keep(it.z<="override"): Only relation "==" is currently supported in "keep".',
  param_keep_unknown_member:
    'Error while creating tree: (line: 7, column: 8 in \'<dir>/param_keep_unknown_member.osc\') -> keep(it.UNKNOWN=="override"): keep reference it.UNKNOWN not found in pose_like. Unknown key "UNKNOWN"',
  param_keep_without_it:
    'Error while creating tree: (line: 9, column: 13 in \'<dir>/param_keep_without_it.osc\') -> NO.z: Identifier "NO.z": Could not resolved NO.',
  param_scenario_inheritance: 'More than one scenario defined.',
  param_scenario_inherits_unknown:
    'Error while creating tree: (line: 3, column: 27 in \'<dir>/param_scenario_inherits_unknown.osc\') -> inheritsNO_SUCH_BASE: Scenario inherits from unknown "NO_SUCH_BASE".',
  param_struct_call_wrong_type:
    'Error while creating tree: (line: 10, column: 0 in \'<dir>/param_struct_call_wrong_type.osc\') -> globalitem:two_fields=other_kind(second:\'OVERRIDE\'): Parameter type "two_fields" does not match value type "other_kind".',
  param_unknown_member_type:
    'Error while creating tree: (line: 4, column: 10 in \'<dir>/param_unknown_member_type.osc\') -> no_such_type: Type "no_such_type" not defined.',
  parse_action_unknown_actor:
    'Error while creating tree: (line: 3, column: 0 in \'<dir>/parse_action_unknown_actor.osc\') -> actionNO_SUCH_ACTOR.my_action:    setting:string="value1": ActionDeclaration NO_SUCH_ACTOR.my_action refers to unknown actor "NO_SUCH_ACTOR".',
  phys_wrong_unit:
    'Error while creating tree: (line: 7, column: 4 in \'<dir>/phys_wrong_unit.osc\') -> msg:length=3s: Parameter type "length" does not match value type "time".',
  rand_method_as_behavior:
    'Error while creating tree: (line: 5, column: 8 in \'<dir>/rand_method_as_behavior.osc\') -> random.seed(7): BehaviorInvocation uses unknown behavior "random.seed".',
  si_physical_into_string:
    'Error while creating tree: (line: 7, column: 0 in \'<dir>/si_physical_into_string.osc\') -> globalval1:string=3.2cm: Parameter type "string" does not match value type "length".',
  si_unit_of_unknown_type:
    'Error while creating tree: (line: 2, column: 0 in \'<dir>/si_unit_of_unknown_type.osc\') -> unitmofNO_SUCH_TYPEisSI(m:1,factor:1): Unit declaration refers to unknown physical name "NO_SUCH_TYPE".',
  struct_sub_member_keep_unknown:
    "Error while creating tree: (line: 14, column: 8 in '<dir>/struct_sub_member_keep_unknown.osc') -> keep(it.mid.UNKNOWN.text=='override'): keep reference it.mid.UNKNOWN.text not found in top. Unknown key \"UNKNOWN\"",
  unsup_actor_modifier:
    "Error creating internal model: (line: 3, column: 0 in '') -> modifiersome_actor.some_modifier: Modifier refering actor currently not supported",
  unsup_call:
    "Error creating internal model: (line: 5, column: 8 in '') -> calllog(true): call directive not supported yet.",
  unsup_cast:
    "Error creating internal model: (line: 4, column: 24 in '') -> number.as(int): cast expression not yet supported",
  unsup_conditional_inheritance:
    "Error creating internal model: (line: 6, column: 39 in '') -> (is_electric==true): inherits condition not yet supported",
  unsup_cover:
    "Error creating internal model: (line: 4, column: 4 in '') -> cover(): cover declaration not supported yet.",
  unsup_do_in_action:
    'Error while creating tree: (line: 3, column: 4 in \'<dir>/unsup_do_in_action.osc\') -> doserial:        log("test"): Do directory currently only supported within scenario.',
  unsup_do_in_action_with_scenario:
    'Error while creating tree: (line: 3, column: 4 in \'<dir>/unsup_do_in_action_with_scenario.osc\') -> doserial:        log("test"): Do directory currently only supported within scenario.',
  unsup_element_access:
    "Error creating internal model: (line: 6, column: 23 in '') -> numbers[2]: element access expression not yet supported",
  unsup_enum_extend:
    "Error creating internal model: (line: 4, column: 0 in '') -> extendletters:[c]: enum type extension not yet supported",
  unsup_event_every:
    "Error creating internal model: (line: 4, column: 24 in '') -> every(1): every expression not yet supported",
  unsup_event_fall:
    "Error creating internal model: (line: 4, column: 18 in '') -> fall(true): fall expression not yet supported",
  unsup_event_rise:
    "Error creating internal model: (line: 4, column: 16 in '') -> rise(true): rise expression not yet supported",
  unsup_external_method_unknown: 'not enough values to unpack (expected 2, got 1)',
  unsup_keep_greater_equal:
    'Error while creating tree: (line: 5, column: 4 in \'<dir>/unsup_keep_greater_equal.osc\') -> keep(current_position>=100.0): Only relation "==" is currently supported in "keep".',
  unsup_keep_greater_than:
    'Error while creating tree: (line: 5, column: 4 in \'<dir>/unsup_keep_greater_than.osc\') -> keep(current_position>100.0): Only relation "==" is currently supported in "keep".',
  unsup_keep_less_equal:
    'Error while creating tree: (line: 5, column: 4 in \'<dir>/unsup_keep_less_equal.osc\') -> keep(current_position<=100.0): Only relation "==" is currently supported in "keep".',
  unsup_keep_less_than:
    'Error while creating tree: (line: 5, column: 4 in \'<dir>/unsup_keep_less_than.osc\') -> keep(current_position<100.0): Only relation "==" is currently supported in "keep".',
  unsup_modifier_of:
    "Error creating internal model: (line: 3, column: 0 in '') -> modifiersome_modifierofsomething: Modifier with qualified behavior name  actor currently not supported",
  unsup_range:
    "Error creating internal model: (line: 3, column: 23 in '') -> range(0,1): range constructor not yet supported",
  unsup_record:
    "Error creating internal model: (line: 4, column: 4 in '') -> record(): record declaration not supported yet.",
  unsup_remove_default:
    "Error creating internal model: (line: 8, column: 8 in '') -> remove_default(it.member): remove default declaration not supported yet.",
  unsup_sample:
    "Error creating internal model: (line: 8, column: 27 in '') -> sample(env.datetime,@root_phase.start): sample expression not yet supported",
  unsup_type_test:
    "Error creating internal model: (line: 4, column: 23 in '') -> number.is(float): type test expression not yet supported",
  unsup_until:
    "Error creating internal model: (line: 7, column: 12 in '') -> until@stop_now: until declaration not supported yet.",
  wait_elapsed_expression:
    "Error while creating py-tree: (line: 8, column: 13 in '<dir>/wait_elapsed_expression.osc') -> elapsed(0.05s+0.05s): Elapsed expression currently only supports PhysicalLiteral and FunctionApplicationExpression.",
  wait_elapsed_parameter:
    "Error while creating py-tree: (line: 9, column: 13 in '<dir>/wait_elapsed_parameter.osc') -> elapsed(delay): Elapsed expression currently only supports PhysicalLiteral and FunctionApplicationExpression.",
  wait_elapsed_plain_number:
    "Error while creating py-tree: (line: 6, column: 13 in '<dir>/wait_elapsed_plain_number.osc') -> elapsed(1): Elapsed expression currently only supports PhysicalLiteral and FunctionApplicationExpression.",
  wait_plain_number:
    "Error while creating py-tree: (line: 3, column: 12 in '<dir>/wait_plain_number.osc') -> (1): Invalid event condition IntegerLiteral(): type_def=uint, value=1",
  wait_without_elapsed:
    "Error while creating py-tree: (line: 6, column: 12 in '<dir>/wait_without_elapsed.osc') -> (1s): Invalid event condition PhysicalLiteral(): value=1, unit=UnitDeclaration(s)",
};
