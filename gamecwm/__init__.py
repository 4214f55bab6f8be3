"""gamecwm."""
