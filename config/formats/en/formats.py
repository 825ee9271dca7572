# The site's one way of writing dates ("6 December 2026") and moments ("6 December 2026,
# 14:05"): templates write ``|date:"DATE_FORMAT"`` or ``|date:"DATETIME_FORMAT"``, Python
# ``date_format(value, "DATETIME_FORMAT")``, never a format of their own.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
