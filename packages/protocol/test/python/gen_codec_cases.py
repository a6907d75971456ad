# Generates codec_cases.json: values packed by Python msgpack (use_bin_type=True).
import json, sys, msgpack
def tag(v):
    if isinstance(v, bool) or v is None or isinstance(v, str): return v
    if isinstance(v, int):
        return v if -(2**53) < v < 2**53 else {"$bigint": str(v)}
    if isinstance(v, float): return v
    if isinstance(v, bytes): return {"$bytes": v.hex()}
    if isinstance(v, list): return [tag(x) for x in v]
    if isinstance(v, dict): return {k: tag(x) for k, x in v.items()}
    raise TypeError(v)
values = [0, 1, 127, 128, 255, 256, 65535, 65536, 2**32-1, 2**32, 2**53-1, 2**63, 2**64-1,
          -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31-1, -2**53+1, -2**63,
          0.1, -2.5, 1e300, 0.3, 1.5e-7,
          "", "a", "x"*31, "x"*32, "x"*255, "x"*256, "héllo ✓", 
          b"", b"\x00\x01", b"y"*300,
          [], list(range(15)), list(range(16)),
          {}, {f"k{i}": i for i in range(15)}, {f"k{i}": i for i in range(16)},
          None, True, False,
          {"cmd": "execute", "payload": {"action_id": "x", "exec_args": {"nested": [1, [2, {"a": None}]], "enum": ["sigterm", 15]}}}]
cases = [{"value": tag(v), "hex": msgpack.packb(v, use_bin_type=True).hex()} for v in values]
json.dump(cases, open(sys.argv[1], "w"))
