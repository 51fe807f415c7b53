multipathd show map mpatha json
