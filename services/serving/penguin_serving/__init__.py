"""REST service for the penguin classifier that Proyecto2's Pusher writes to the shared volume."""
