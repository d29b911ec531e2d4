"""Admin of the standards domain: calendars."""
