"""Figures: the matplotlib renderer, the ffmpeg encoder, figure layout, and the media stage."""
