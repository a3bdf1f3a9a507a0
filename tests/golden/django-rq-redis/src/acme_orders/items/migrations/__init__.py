"""The items app's migrations: your history, from 0001 on."""
