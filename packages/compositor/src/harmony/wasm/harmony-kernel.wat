;; Harmony's table pass in WebAssembly SIMD, compiled by `scripts/build-wasm.mjs` into
;; `harmony-kernel-bytes.ts`. Run `npm run build:wasm -w @layerloom/compositor` after editing;
;; a test fails when the committed bytes differ from this file's.
;;
;; The same integer arithmetic as `../apply-harmony-table.ts` (so the same bytes), laid out by
;; `apply-harmony-table-wasm.ts` in this module's memory:
;;   0      the table: 33³ nodes of four i16, each entry less 16384 (so −16384..16384: red,
;;          green, blue, unused), 8 bytes a node, red slowest (strides 8712, 264 and 8 bytes);
;;          copied in as `buildHarmonyTable` made it (0..32768), then `prepareTable` subtracts
;;   288000 scratch for a group of four pixels: corners c0, c1, c2 (byte offsets, 4 × i32 each),
;;          then the weights of c0 and c1, then those of c2 and c3 (4 × two i16 each)
;;   327680 the pixels: RGBA bytes (memory order R, G, B, A, whatever the machine's), room for
;;          65536 and 3 more (the last group of four reads and rewrites up to 3 pixels past
;;          the end, unchanged)
;; Four pixels a step, one 32-bit lane each, red and blue in its two 16-bit halves (green and
;; alpha in another vector): a byte's lower node is byte × 257 >> 11 (which is
;; min(31, floor(byte × 32 / 255)) for every byte), its fraction byte × 32 − node × 255. The
;; tetrahedron's corners: one node along the axis of the largest fraction, and the far corner
;; less one node along that of the smallest (on a tie either one: the corner it picks then has
;; weight 0). Per pixel, two corners' entries interleaved are multiplied by their two weights
;; and added in one `i32x4.dot_i16x8_s`; the weights sum to 255, so the entries' 16384 less
;; comes back as 255 × 16384, added with the rounding.
(module
  (memory (export "memory") 10)

  ;; Subtracts 16384 from the `n` 16-bit table entries at 0, eight at a time (the last step may
  ;; run up to 7 entries past them, into the scratch).
  (func (export "prepareTable") (param $n i32)
    (local $at i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (v128.store (local.get $at)
          (i16x8.sub (v128.load (local.get $at)) (v128.const i16x8 16384 16384 16384 16384 16384 16384 16384 16384)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next))))

  ;; Applies the table to `n` pixels at `p`, in place; transparent pixels are left as they are.
  (func (export "applyTable") (param $p i32) (param $n i32)
    (local $end i32) (local $corner i32) (local $left v128) (local $word v128) (local $keep v128)
    (local $rb v128) (local $ga v128) (local $fr v128) (local $fg v128) (local $fb v128)
    (local $max v128) (local $mid v128) (local $min v128) (local $c0 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $alpha v128) (local $bytes v128) (local $round v128)
    (local $red v128) (local $green v128) (local $blue v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $left (i32x4.splat (local.get $n)))
    (local.set $alpha (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000))
    (local.set $bytes (v128.const i32x4 0x00ff00ff 0x00ff00ff 0x00ff00ff 0x00ff00ff))
    ;; 255 × 16384 for the entries' offset, and 16384 to round the shift by 15.
    (local.set $round (v128.const i32x4 0x400000 0x400000 0x400000 0x400000))
    (local.set $red (v128.const i32x4 8712 8712 8712 8712))
    (local.set $green (v128.const i32x4 264 264 264 264))
    (local.set $blue (v128.const i32x4 8 8 8 8))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $word (v128.load (local.get $p)))
        ;; Bits kept from the word: alpha always; all of a transparent pixel, and of the lanes
        ;; past the end in the last group (lane i when at most i pixels are left).
        (local.set $keep
          (v128.or
            (v128.or
              (i32x4.eq (v128.and (local.get $word) (local.get $alpha)) (v128.const i32x4 0 0 0 0))
              (i32x4.gt_s (v128.const i32x4 1 2 3 4) (local.get $left)))
            (local.get $alpha)))
        (local.set $left (i32x4.sub (local.get $left) (v128.const i32x4 4 4 4 4)))
        ;; The bytes in 16-bit lanes (red, blue; green, alpha), then their nodes (which $rb and
        ;; $ga hold from here on) and fractions.
        (local.set $rb (v128.and (local.get $word) (local.get $bytes)))
        (local.set $ga (v128.and (i32x4.shr_u (local.get $word) (i32.const 8)) (local.get $bytes)))
        (local.set $fr
          (i16x8.sub
            (i16x8.shl (local.get $rb) (i32.const 5))
            (i16x8.mul
              (local.tee $rb
                (i16x8.shr_u
                  (i16x8.mul (local.get $rb) (v128.const i16x8 257 257 257 257 257 257 257 257))
                  (i32.const 11)))
              (v128.const i16x8 255 255 255 255 255 255 255 255))))
        (local.set $fg
          (i16x8.sub
            (i16x8.shl (local.get $ga) (i32.const 5))
            (i16x8.mul
              (local.tee $ga
                (i16x8.shr_u
                  (i16x8.mul (local.get $ga) (v128.const i16x8 257 257 257 257 257 257 257 257))
                  (i32.const 11)))
              (v128.const i16x8 255 255 255 255 255 255 255 255))))
        (local.set $fb (i32x4.shr_u (local.get $fr) (i32.const 16)))
        (local.set $fr (v128.and (local.get $fr) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff)))
        (local.set $fg (v128.and (local.get $fg) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff)))
        ;; The lower corner: red node × 8712 + blue node × 8, plus green node × 264 (alpha × 0).
        (local.set $c0
          (i32x4.add
            (i32x4.dot_i16x8_s (local.get $rb) (v128.const i16x8 8712 8 8712 8 8712 8 8712 8))
            (i32x4.dot_i16x8_s (local.get $ga) (v128.const i16x8 264 0 264 0 264 0 264 0))))
        (local.set $max (i32x4.max_u (i32x4.max_u (local.get $fr) (local.get $fg)) (local.get $fb)))
        (local.set $min (i32x4.min_u (i32x4.min_u (local.get $fr) (local.get $fg)) (local.get $fb)))
        (local.set $mid
          (i32x4.sub
            (i32x4.sub
              (i32x4.add (i32x4.add (local.get $fr) (local.get $fg)) (local.get $fb))
              (local.get $max))
            (local.get $min)))
        ;; c1: one node along an axis of the largest fraction; c2: the far corner, one node along
        ;; each axis ((33² + 33 + 1) × 8 bytes), less one along an axis of the smallest.
        (v128.store (i32.const 288000) (local.get $c0))
        (v128.store
          (i32.const 288016)
          (i32x4.add
            (local.get $c0)
            (v128.bitselect
              (local.get $red)
              (v128.bitselect
                (local.get $green)
                (local.get $blue)
                (i32x4.eq (local.get $fg) (local.get $max)))
              (i32x4.eq (local.get $fr) (local.get $max)))))
        (v128.store
          (i32.const 288032)
          (i32x4.sub
            (i32x4.add (local.get $c0) (v128.const i32x4 8984 8984 8984 8984))
            (v128.bitselect
              (local.get $red)
              (v128.bitselect
                (local.get $green)
                (local.get $blue)
                (i32x4.eq (local.get $fg) (local.get $min)))
              (i32x4.eq (local.get $fr) (local.get $min)))))
        ;; Weights 255 − max and max − mid, then mid − min and min (summing to 255).
        (v128.store
          (i32.const 288048)
          (v128.or
            (i32x4.sub (v128.const i32x4 255 255 255 255) (local.get $max))
            (i32x4.shl (i32x4.sub (local.get $max) (local.get $mid)) (i32.const 16))))
        (v128.store
          (i32.const 288064)
          (v128.or
            (i32x4.sub (local.get $mid) (local.get $min))
            (i32x4.shl (local.get $min) (i32.const 16))))
        ;; Pixel 0: corners c0 and c1, then c2 and c3, interleaved entry by entry and multiplied
        ;; by their weights in pairs.
        (local.set $corner (i32.load (i32.const 288000)))
        (local.set $s0
          (i32x4.add
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (local.get $corner))
                (v128.load64_zero (i32.load (i32.const 288016))))
              (v128.load32_splat (i32.const 288048)))
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (i32.load (i32.const 288032)))
                (v128.load64_zero offset=8984 (local.get $corner)))
              (v128.load32_splat (i32.const 288064)))))
        (local.set $s0 (i32x4.shr_s (i32x4.add (local.get $s0) (local.get $round)) (i32.const 15)))
        ;; Pixel 1: corners c0 and c1, then c2 and c3, interleaved entry by entry and multiplied
        ;; by their weights in pairs.
        (local.set $corner (i32.load (i32.const 288004)))
        (local.set $s1
          (i32x4.add
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (local.get $corner))
                (v128.load64_zero (i32.load (i32.const 288020))))
              (v128.load32_splat (i32.const 288052)))
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (i32.load (i32.const 288036)))
                (v128.load64_zero offset=8984 (local.get $corner)))
              (v128.load32_splat (i32.const 288068)))))
        (local.set $s1 (i32x4.shr_s (i32x4.add (local.get $s1) (local.get $round)) (i32.const 15)))
        ;; Pixel 2: corners c0 and c1, then c2 and c3, interleaved entry by entry and multiplied
        ;; by their weights in pairs.
        (local.set $corner (i32.load (i32.const 288008)))
        (local.set $s2
          (i32x4.add
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (local.get $corner))
                (v128.load64_zero (i32.load (i32.const 288024))))
              (v128.load32_splat (i32.const 288056)))
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (i32.load (i32.const 288040)))
                (v128.load64_zero offset=8984 (local.get $corner)))
              (v128.load32_splat (i32.const 288072)))))
        (local.set $s2 (i32x4.shr_s (i32x4.add (local.get $s2) (local.get $round)) (i32.const 15)))
        ;; Pixel 3: corners c0 and c1, then c2 and c3, interleaved entry by entry and multiplied
        ;; by their weights in pairs.
        (local.set $corner (i32.load (i32.const 288012)))
        (local.set $s3
          (i32x4.add
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (local.get $corner))
                (v128.load64_zero (i32.load (i32.const 288028))))
              (v128.load32_splat (i32.const 288060)))
            (i32x4.dot_i16x8_s
              (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23
                (v128.load64_zero (i32.load (i32.const 288044)))
                (v128.load64_zero offset=8984 (local.get $corner)))
              (v128.load32_splat (i32.const 288076)))))
        (local.set $s3 (i32x4.shr_s (i32x4.add (local.get $s3) (local.get $round)) (i32.const 15)))
        ;; The four colours as bytes (R, G, B, then the unused entry's lane), alpha kept.
        (v128.store
          (local.get $p)
          (v128.bitselect
            (local.get $word)
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_u (local.get $s0) (local.get $s1))
              (i16x8.narrow_i32x4_u (local.get $s2) (local.get $s3)))
            (local.get $keep)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))
)
