"""Row ids: 32-bit signed integers in every supported database.

An id past MAX_ID can name no row; code that takes ids from clients (paths,
token subjects) refuses it before it reaches the database as an overflow.
"""

MAX_ID = 2**31 - 1
