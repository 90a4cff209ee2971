"""The lab's data API: the course's batch protocol over the Chicago Taxi trips of shared-data."""
