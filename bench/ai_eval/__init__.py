"""bench/ai_eval: how well the counsellor sells honestly, measured on a fixed set of student messages."""
