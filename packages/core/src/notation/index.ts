/** Layer notation: filled by parseLayerNotation / formatLayerNotation. */
export {};
