;; Harmony's table pass in WebAssembly SIMD, compiled by `scripts/build-wasm.mjs` into
;; `harmony-kernel-bytes.ts`. Run `npm run build:wasm -w @layerloom/compositor` after editing;
;; a test fails when the committed bytes differ from this file's.
;;
;; The same integer arithmetic as `../apply-harmony-table.ts` (so the same bytes), laid out by
;; `../harmony-band.ts` in this module's memory:
;;   0     offsets of the lower node along red, by byte (256 × i32, bytes into the table)
;;   1024  the same along green; 2048 along blue
;;   3072  the fraction towards the next node × 255, by byte (256 × i32)
;;   4096  by tetrahedron code ×4: the table stride along the axis of the largest fraction
;;   4128  the same along the axis of the smallest fraction
;;   8192  the table: 33³ nodes of four u16 (red, green, blue, 0), 8 bytes a node
;;   327680 the pixels: RGBA bytes (memory order R, G, B, A, whatever the machine's)
;; The colour channels of a node are the lanes of one i32x4: the four corners of the
;; tetrahedron are four 64-bit loads, each widened and multiplied by its weight.
(module
  (memory (export "memory") 10)

  ;; Applies the table to `n` pixels at `p`, in place; transparent pixels are left as they are.
  (func (export "applyTable") (param $p i32) (param $n i32)
    (local $end i32) (local $word i32) (local $alpha i32) (local $key i32) (local $previous i32)
    (local $colour i32) (local $red i32) (local $green i32) (local $blue i32)
    (local $fr i32) (local $fg i32) (local $fb i32) (local $code i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $max i32) (local $min i32) (local $mid i32) (local $sum v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $previous (i32.const -1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $word (i32.load (local.get $p)))
        (local.set $alpha (i32.and (local.get $word) (i32.const 0xff000000)))
        (if (local.get $alpha)
          (then
            (local.set $key (i32.xor (local.get $word) (local.get $alpha)))
            (if (i32.ne (local.get $key) (local.get $previous))
              (then
                (local.set $previous (local.get $key))
                (local.set $red (i32.shl (i32.and (local.get $word) (i32.const 255)) (i32.const 2)))
                (local.set $green
                  (i32.shl
                    (i32.and (i32.shr_u (local.get $word) (i32.const 8)) (i32.const 255))
                    (i32.const 2)))
                (local.set $blue (i32.shl (i32.shr_u (local.get $key) (i32.const 16)) (i32.const 2)))
                (local.set $fr (i32.load offset=3072 (local.get $red)))
                (local.set $fg (i32.load offset=3072 (local.get $green)))
                (local.set $fb (i32.load offset=3072 (local.get $blue)))
                (local.set $c0
                  (i32.add
                    (i32.add
                      (i32.load offset=0 (local.get $red))
                      (i32.load offset=1024 (local.get $green)))
                    (i32.load offset=2048 (local.get $blue))))
                ;; Tetrahedron code (red ≥ green, green ≥ blue, red ≥ blue), ×4 for i32 entries.
                (local.set $code
                  (i32.or
                    (i32.or
                      (i32.shl (i32.ge_u (local.get $fr) (local.get $fg)) (i32.const 4))
                      (i32.shl (i32.ge_u (local.get $fg) (local.get $fb)) (i32.const 3)))
                    (i32.shl (i32.ge_u (local.get $fr) (local.get $fb)) (i32.const 2))))
                (local.set $c1 (i32.add (local.get $c0) (i32.load offset=4096 (local.get $code))))
                ;; The far corner: one node along each axis, (33² + 33 + 1) × 8 bytes.
                (local.set $c3 (i32.add (local.get $c0) (i32.const 8984)))
                (local.set $c2 (i32.sub (local.get $c3) (i32.load offset=4128 (local.get $code))))
                (local.set $max
                  (select (local.get $fr) (local.get $fg) (i32.ge_u (local.get $fr) (local.get $fg))))
                (local.set $max
                  (select (local.get $max) (local.get $fb) (i32.ge_u (local.get $max) (local.get $fb))))
                (local.set $min
                  (select (local.get $fg) (local.get $fr) (i32.ge_u (local.get $fr) (local.get $fg))))
                (local.set $min
                  (select (local.get $fb) (local.get $min) (i32.ge_u (local.get $min) (local.get $fb))))
                (local.set $mid
                  (i32.sub
                    (i32.sub
                      (i32.add (i32.add (local.get $fr) (local.get $fg)) (local.get $fb))
                      (local.get $max))
                    (local.get $min)))
                ;; Weights 255 − max, max − mid, mid − min and min (summing to 255).
                (local.set $sum
                  (i32x4.add
                    (i32x4.add
                      (i32x4.mul
                        (v128.load16x4_u offset=8192 (local.get $c0))
                        (i32x4.splat (i32.sub (i32.const 255) (local.get $max))))
                      (i32x4.mul
                        (v128.load16x4_u offset=8192 (local.get $c1))
                        (i32x4.splat (i32.sub (local.get $max) (local.get $mid)))))
                    (i32x4.add
                      (i32x4.mul
                        (v128.load16x4_u offset=8192 (local.get $c2))
                        (i32x4.splat (i32.sub (local.get $mid) (local.get $min))))
                      (i32x4.mul
                        (v128.load16x4_u offset=8192 (local.get $c3))
                        (i32x4.splat (local.get $min))))))
                (local.set $sum
                  (i32x4.shr_u
                    (i32x4.add (local.get $sum) (v128.const i32x4 16384 16384 16384 16384))
                    (i32.const 15)))
                (local.set $sum (i16x8.narrow_i32x4_u (local.get $sum) (local.get $sum)))
                (local.set $colour
                  (i32x4.extract_lane 0
                    (i8x16.narrow_i16x8_u (local.get $sum) (local.get $sum))))))
            (i32.store (local.get $p) (i32.or (local.get $alpha) (local.get $colour)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next))))
)
