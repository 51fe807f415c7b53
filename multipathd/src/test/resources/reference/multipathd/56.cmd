multipathd show status
