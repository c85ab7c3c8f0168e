/** Screen pixels: how close the pointer must be to a handle, and how far the rotate handle sits above the top edge. */
export const HANDLE_RADIUS_PX = 7;
export const ROTATE_HANDLE_OFFSET_PX = 24;
export const HIT_TOLERANCE_PX = 4;
