export { TiledImage, openTiledImage, loadAssetImage, TILED_CANDIDATE_SIDE } from "./tiledImage";
export { TileCache } from "./tileCache";
export type { TileStats } from "./tileCache";
export { chooseLevel, levelScale, tileAssetRect, tileKey, tilesIn } from "./pyramid";
export type { Pyramid, PyramidLevel, TileRef } from "./pyramid";
