multipathd show maps json
