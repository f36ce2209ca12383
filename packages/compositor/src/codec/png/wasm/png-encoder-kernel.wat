;; The PNG encoder's row filter, checksum and fast deflate in WebAssembly SIMD, compiled by
;; `scripts/build-wasm.mjs` into `png-encoder-kernel-bytes.ts`. Run `npm run build:wasm -w
;; @layerloom/compositor` after editing; a test fails when the committed bytes differ from this
;; file's.
;;
;; `filterRows` gives the same bytes as `../filter-png-rows.ts` without `allFilters`: per row,
;; the filter among Sub, Up and None whose bytes, read as signed, have the smallest sum of
;; magnitudes, estimated on every third byte from byte 4 (the bytes whose index is 1 modulo 3),
;; ties going to Sub, then Up; the image's first row always Sub. The sums run 16 bytes a step:
;; a 16-byte block starting at byte 16k holds the sampled bytes at the lanes j with
;; (k + j) mod 3 = 1 (16 is 1 modulo 3), so three masks take turns (the first block's also
;; leaves out lanes 0 to 3); a signed byte's magnitude is `i8x16.abs` read unsigned (−128 gives
;; 128). Sub and Up are written 16 bytes a step too; the last bytes of a row one at a time.
;;
;; `countSymbols` and `encodeSymbols` are the fast level's deflate (see below and
;; `deflate-png-chunk.ts`, which builds the codes and the block's header between them).
;;
;; Memory: none fixed. The module owns its memory (1 page to start; the caller grows it), and
;; each function works only on the ranges its arguments name.
(module
  (memory (export "memory") 1)

  ;; Filters `rows` rows of `width` RGBA pixels at `src + stride` (the row above them at `src`,
  ;; read unless `top` is 1, when the first row is the image's first) into `dst`: each row its
  ;; filter type byte, then its `stride` filtered bytes.
  (func (export "filterRows")
    (param $src i32) (param $dst i32) (param $width i32) (param $rows i32) (param $top i32)
    (local $stride i32) (local $r i32) (local $row i32) (local $above i32) (local $out i32)
    (local $i i32) (local $phase i32) (local $mask v128) (local $x v128)
    (local $accN v128) (local $accS v128) (local $accU v128)
    (local $costN i32) (local $costS i32) (local $costU i32) (local $filter i32) (local $v i32)
    (local.set $stride (i32.shl (local.get $width) (i32.const 2)))
    (block $done
      (loop $nextRow
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $above (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $row (i32.add (local.get $above) (local.get $stride)))
        (local.set $out (i32.add (local.get $dst)
          (i32.mul (local.get $r) (i32.add (local.get $stride) (i32.const 1)))))
        (local.set $filter (i32.const 1))
        (if (i32.eqz (i32.and (local.get $top) (i32.eqz (local.get $r))))
          (then
            ;; The three costs: 16 bytes a step, then the row's last bytes one at a time.
            (local.set $accN (v128.const i32x4 0 0 0 0))
            (local.set $accS (v128.const i32x4 0 0 0 0))
            (local.set $accU (v128.const i32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            (local.set $phase (i32.const 0))
            (block $blocksDone
              (loop $block
                (br_if $blocksDone (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $stride)))
                (local.set $mask
                  (if (result v128) (i32.eqz (local.get $phase))
                    (then (v128.const i8x16 0 -1 0 0 -1 0 0 -1 0 0 -1 0 0 -1 0 0))
                    (else
                      (if (result v128) (i32.eq (local.get $phase) (i32.const 1))
                        (then (v128.const i8x16 -1 0 0 -1 0 0 -1 0 0 -1 0 0 -1 0 0 -1))
                        (else (v128.const i8x16 0 0 -1 0 0 -1 0 0 -1 0 0 -1 0 0 -1 0))))))
                (if (i32.eqz (local.get $i))
                  (then (local.set $mask (v128.and (local.get $mask)
                    (v128.const i8x16 0 0 0 0 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1)))))
                (local.set $x (v128.load (i32.add (local.get $row) (local.get $i))))
                (local.set $accN (i32x4.add (local.get $accN)
                  (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
                    (v128.and (i8x16.abs (local.get $x)) (local.get $mask))))))
                (local.set $accS (i32x4.add (local.get $accS)
                  (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
                    (v128.and
                      (i8x16.abs (i8x16.sub (local.get $x)
                        (v128.load (i32.sub (i32.add (local.get $row) (local.get $i)) (i32.const 4)))))
                      (local.get $mask))))))
                (local.set $accU (i32x4.add (local.get $accU)
                  (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
                    (v128.and
                      (i8x16.abs (i8x16.sub (local.get $x)
                        (v128.load (i32.add (local.get $above) (local.get $i)))))
                      (local.get $mask))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (local.set $phase (select (i32.const 0) (i32.add (local.get $phase) (i32.const 1))
                  (i32.eq (local.get $phase) (i32.const 2))))
                (br $block)))
            (local.set $costN (i32.add
              (i32.add (i32x4.extract_lane 0 (local.get $accN)) (i32x4.extract_lane 1 (local.get $accN)))
              (i32.add (i32x4.extract_lane 2 (local.get $accN)) (i32x4.extract_lane 3 (local.get $accN)))))
            (local.set $costS (i32.add
              (i32.add (i32x4.extract_lane 0 (local.get $accS)) (i32x4.extract_lane 1 (local.get $accS)))
              (i32.add (i32x4.extract_lane 2 (local.get $accS)) (i32x4.extract_lane 3 (local.get $accS)))))
            (local.set $costU (i32.add
              (i32.add (i32x4.extract_lane 0 (local.get $accU)) (i32x4.extract_lane 1 (local.get $accU)))
              (i32.add (i32x4.extract_lane 2 (local.get $accU)) (i32x4.extract_lane 3 (local.get $accU)))))
            (if (i32.lt_u (local.get $i) (i32.const 4)) (then (local.set $i (i32.const 4))))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_u (local.get $i) (local.get $stride)))
                (if (i32.eq (i32.rem_u (local.get $i) (i32.const 3)) (i32.const 1))
                  (then
                    (local.set $v (i32.load8_u (i32.add (local.get $row) (local.get $i))))
                    (local.set $costN (i32.add (local.get $costN) (call $magnitude (local.get $v))))
                    (local.set $costS (i32.add (local.get $costS) (call $magnitude (i32.sub (local.get $v)
                      (i32.load8_u (i32.sub (i32.add (local.get $row) (local.get $i)) (i32.const 4)))))))
                    (local.set $costU (i32.add (local.get $costU) (call $magnitude (i32.sub (local.get $v)
                      (i32.load8_u (i32.add (local.get $above) (local.get $i)))))))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $tail)))
            (if (i32.lt_u (local.get $costU) (local.get $costS))
              (then (local.set $filter (i32.const 2)) (local.set $costS (local.get $costU))))
            (if (i32.lt_u (local.get $costN) (local.get $costS))
              (then (local.set $filter (i32.const 0))))))
        (i32.store8 (local.get $out) (local.get $filter))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (if (i32.eqz (local.get $filter))
          (then (memory.copy (local.get $out) (local.get $row) (local.get $stride)))
          (else
            (if (i32.eq (local.get $filter) (i32.const 1))
              (then
                ;; Sub: the first pixel as it is, then each byte less the one 4 before it.
                (i32.store (local.get $out) (i32.load (local.get $row)))
                (local.set $i (i32.const 4))
                (block $subDone
                  (loop $sub
                    (br_if $subDone (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $stride)))
                    (v128.store (i32.add (local.get $out) (local.get $i))
                      (i8x16.sub (v128.load (i32.add (local.get $row) (local.get $i)))
                        (v128.load (i32.sub (i32.add (local.get $row) (local.get $i)) (i32.const 4)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 16)))
                    (br $sub)))
                (block $subTailDone
                  (loop $subTail
                    (br_if $subTailDone (i32.ge_u (local.get $i) (local.get $stride)))
                    (i32.store8 (i32.add (local.get $out) (local.get $i))
                      (i32.sub (i32.load8_u (i32.add (local.get $row) (local.get $i)))
                        (i32.load8_u (i32.sub (i32.add (local.get $row) (local.get $i)) (i32.const 4)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $subTail))))
              (else
                ;; Up: each byte less the one above it.
                (local.set $i (i32.const 0))
                (block $upDone
                  (loop $up
                    (br_if $upDone (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $stride)))
                    (v128.store (i32.add (local.get $out) (local.get $i))
                      (i8x16.sub (v128.load (i32.add (local.get $row) (local.get $i)))
                        (v128.load (i32.add (local.get $above) (local.get $i)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 16)))
                    (br $up)))
                (block $upTailDone
                  (loop $upTail
                    (br_if $upTailDone (i32.ge_u (local.get $i) (local.get $stride)))
                    (i32.store8 (i32.add (local.get $out) (local.get $i))
                      (i32.sub (i32.load8_u (i32.add (local.get $row) (local.get $i)))
                        (i32.load8_u (i32.add (local.get $above) (local.get $i)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $upTail)))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $nextRow))))

  ;; The magnitude of a byte difference read as signed: 0 to 128.
  (func $magnitude (param $d i32) (result i32)
    (local.set $d (i32.and (local.get $d) (i32.const 255)))
    (select (local.get $d) (i32.sub (i32.const 256) (local.get $d)) (i32.lt_u (local.get $d) (i32.const 128))))

  ;; The Adler-32 of `n` bytes at `p` (RFC 1950): 16 bytes a step, up to 2048 steps between
  ;; reductions (the lanes' sums stay below 2³²), then the last bytes one at a time.
  (func (export "adler32") (param $p i32) (param $n i32) (result i32)
    (local $a i64) (local $b i64) (local $blocks i32) (local $k i32)
    (local $v v128) (local $vs v128) (local $vp v128) (local $vw v128)
    (local.set $a (i64.const 1))
    (block $tail
      (loop $chunks
        (br_if $tail (i32.lt_u (local.get $n) (i32.const 16)))
        (local.set $blocks (i32.shr_u (local.get $n) (i32.const 4)))
        (if (i32.gt_u (local.get $blocks) (i32.const 2048)) (then (local.set $blocks (i32.const 2048))))
        (local.set $vs (v128.const i32x4 0 0 0 0))
        (local.set $vp (v128.const i32x4 0 0 0 0))
        (local.set $vw (v128.const i32x4 0 0 0 0))
        (local.set $k (local.get $blocks))
        (loop $block
          ;; vp: the bytes' sums before this block (each block's bytes count 16 more times in
          ;; b per later block); vw: this block's bytes weighted 16 down to 1.
          (local.set $v (v128.load (local.get $p)))
          (local.set $vp (i32x4.add (local.get $vp) (local.get $vs)))
          (local.set $vs (i32x4.add (local.get $vs)
            (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $v)))))
          (local.set $vw (i32x4.add (local.get $vw)
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $v)) (v128.const i16x8 16 15 14 13 12 11 10 9))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $v)) (v128.const i16x8 8 7 6 5 4 3 2 1)))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $block (local.get $k)))
        (local.set $n (i32.sub (local.get $n) (i32.shl (local.get $blocks) (i32.const 4))))
        (local.set $b (i64.add (local.get $b)
          (i64.add
            (i64.mul (i64.extend_i32_u (i32.shl (local.get $blocks) (i32.const 4))) (local.get $a))
            (i64.add
              (i64.shl (call $sum64 (local.get $vp)) (i64.const 4))
              (call $sum64 (local.get $vw))))))
        (local.set $a (i64.add (local.get $a) (call $sum64 (local.get $vs))))
        (local.set $a (i64.rem_u (local.get $a) (i64.const 65521)))
        (local.set $b (i64.rem_u (local.get $b) (i64.const 65521)))
        (br $chunks)))
    (block $done
      (loop $byte
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $a (i64.add (local.get $a) (i64.load8_u (local.get $p))))
        (local.set $b (i64.add (local.get $b) (local.get $a)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $byte)))
    (local.set $a (i64.rem_u (local.get $a) (i64.const 65521)))
    (local.set $b (i64.rem_u (local.get $b) (i64.const 65521)))
    (i32.wrap_i64 (i64.or (i64.shl (local.get $b) (i64.const 16)) (local.get $a))))

  ;; The sum of four unsigned 32-bit lanes.
  (func $sum64 (param $v v128) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_u (i32x4.extract_lane 0 (local.get $v))) (i64.extend_i32_u (i32x4.extract_lane 1 (local.get $v))))
      (i64.add (i64.extend_i32_u (i32x4.extract_lane 2 (local.get $v))) (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v))))))

  ;; Deflate, the encoder's fast level: literals and runs (a byte repeated, as a match at
  ;; distance 1), in one block of dynamic Huffman codes that JavaScript builds from the counts.
  ;; `tab` (laid out by `deflate-png-chunk.ts`): 0 the literal/length counts, 286 × u32; 1144
  ;; the codes, 286 × u32 (code bit-reversed | length << 16); 2288 the distance code (same
  ;; layout); 2292 the length symbols of run lengths 0 to 258, 259 × u32 (symbol | extra bits <<
  ;; 9 | base << 12). A run is taken at 3 bytes or more, up to 258.

  ;; Counts the symbols of `n` bytes at `src` into `tab` (zeroed by the caller); returns the
  ;; number of runs.
  (func (export "countSymbols") (param $src i32) (param $n i32) (param $tab i32) (result i32)
    (local $i i32) (local $b i32) (local $r i32) (local $runs i32) (local $slot i32) (local $limit i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (local.set $slot (i32.add (local.get $tab) (i32.shl (i32.load8_u (local.get $src)) (i32.const 2))))
    (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1)))
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $i) (i32.const 1)))))
        (if (i32.eq (i32.load8_u (i32.add (local.get $src) (local.get $i))) (local.get $b))
          (then
            (local.set $limit (i32.sub (local.get $n) (local.get $i)))
            (if (i32.gt_u (local.get $limit) (i32.const 258)) (then (local.set $limit (i32.const 258))))
            (local.set $r (i32.const 1))
            (block $runEnd
              (loop $run
                (br_if $runEnd (i32.ge_u (local.get $r) (local.get $limit)))
                (br_if $runEnd (i32.ne (i32.load8_u (i32.add (local.get $src) (i32.add (local.get $i) (local.get $r))))
                  (local.get $b)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $run)))
            (if (i32.ge_u (local.get $r) (i32.const 3))
              (then
                (local.set $slot (i32.add (local.get $tab) (i32.shl
                  (i32.and (i32.load offset=2292 (i32.add (local.get $tab) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 511))
                  (i32.const 2))))
                (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1)))
                (local.set $runs (i32.add (local.get $runs) (i32.const 1)))
                (local.set $i (i32.add (local.get $i) (local.get $r)))
                (br $next)))))
        (local.set $slot (i32.add (local.get $tab)
          (i32.shl (i32.load8_u (i32.add (local.get $src) (local.get $i))) (i32.const 2))))
        (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $runs))

  ;; Writes the symbols of `n` bytes at `src` (the same choices as `countSymbols`), then the end
  ;; of block, with the codes of `tab`, from `out` on, after the `count` bits (< 32) already
  ;; pending in `bits`. Whole 32-bit words are written; returns the address after them, with
  ;; the bits still pending at `tab + 3328` (u32) and their count at `tab + 3332`.
  (func (export "encodeSymbols")
    (param $src i32) (param $n i32) (param $tab i32) (param $out i32) (param $bits i32) (param $count i32)
    (result i32)
    (local $i i32) (local $b i32) (local $r i32) (local $e i32) (local $l i32) (local $limit i32)
    (local $acc i64) (local $cnt i32)
    (local.set $acc (i64.extend_i32_u (local.get $bits)))
    (local.set $cnt (local.get $count))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $literal
          (br_if $literal (i32.eqz (local.get $i)))
          (local.set $b (i32.load8_u (i32.add (local.get $src) (i32.sub (local.get $i) (i32.const 1)))))
          (br_if $literal (i32.ne (i32.load8_u (i32.add (local.get $src) (local.get $i))) (local.get $b)))
          (local.set $limit (i32.sub (local.get $n) (local.get $i)))
          (if (i32.gt_u (local.get $limit) (i32.const 258)) (then (local.set $limit (i32.const 258))))
          (local.set $r (i32.const 1))
          (block $runEnd
            (loop $run
              (br_if $runEnd (i32.ge_u (local.get $r) (local.get $limit)))
              (br_if $runEnd (i32.ne (i32.load8_u (i32.add (local.get $src) (i32.add (local.get $i) (local.get $r))))
                (local.get $b)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $run)))
          (br_if $literal (i32.lt_u (local.get $r) (i32.const 3)))
          ;; The length's code, its extra bits, then the distance code.
          (local.set $l (i32.load offset=2292 (i32.add (local.get $tab) (i32.shl (local.get $r) (i32.const 2)))))
          (local.set $e (i32.load (i32.add (local.get $tab)
            (i32.add (i32.const 1144) (i32.shl (i32.and (local.get $l) (i32.const 511)) (i32.const 2))))))
          (local.set $acc (i64.or (local.get $acc) (i64.shl (i64.extend_i32_u (i32.and (local.get $e) (i32.const 0xffff)))
            (i64.extend_i32_u (local.get $cnt)))))
          (local.set $cnt (i32.add (local.get $cnt) (i32.shr_u (local.get $e) (i32.const 16))))
          (local.set $acc (i64.or (local.get $acc) (i64.shl
            (i64.extend_i32_u (i32.sub (local.get $r) (i32.shr_u (local.get $l) (i32.const 12))))
            (i64.extend_i32_u (local.get $cnt)))))
          (local.set $cnt (i32.add (local.get $cnt) (i32.and (i32.shr_u (local.get $l) (i32.const 9)) (i32.const 7))))
          (local.set $e (i32.load offset=2288 (local.get $tab)))
          (local.set $acc (i64.or (local.get $acc) (i64.shl (i64.extend_i32_u (i32.and (local.get $e) (i32.const 0xffff)))
            (i64.extend_i32_u (local.get $cnt)))))
          (local.set $cnt (i32.add (local.get $cnt) (i32.shr_u (local.get $e) (i32.const 16))))
          (local.set $i (i32.add (local.get $i) (local.get $r)))
          (if (i32.ge_u (local.get $cnt) (i32.const 32))
            (then
              (i32.store (local.get $out) (i32.wrap_i64 (local.get $acc)))
              (local.set $out (i32.add (local.get $out) (i32.const 4)))
              (local.set $acc (i64.shr_u (local.get $acc) (i64.const 32)))
              (local.set $cnt (i32.sub (local.get $cnt) (i32.const 32)))))
          (br $next))
        (local.set $e (i32.load (i32.add (local.get $tab)
          (i32.add (i32.const 1144) (i32.shl (i32.load8_u (i32.add (local.get $src) (local.get $i))) (i32.const 2))))))
        (local.set $acc (i64.or (local.get $acc) (i64.shl (i64.extend_i32_u (i32.and (local.get $e) (i32.const 0xffff)))
          (i64.extend_i32_u (local.get $cnt)))))
        (local.set $cnt (i32.add (local.get $cnt) (i32.shr_u (local.get $e) (i32.const 16))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.ge_u (local.get $cnt) (i32.const 32))
          (then
            (i32.store (local.get $out) (i32.wrap_i64 (local.get $acc)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $acc (i64.shr_u (local.get $acc) (i64.const 32)))
            (local.set $cnt (i32.sub (local.get $cnt) (i32.const 32)))))
        (br $next)))
    ;; End of block.
    (local.set $e (i32.load offset=2168 (local.get $tab)))
    (local.set $acc (i64.or (local.get $acc) (i64.shl (i64.extend_i32_u (i32.and (local.get $e) (i32.const 0xffff)))
      (i64.extend_i32_u (local.get $cnt)))))
    (local.set $cnt (i32.add (local.get $cnt) (i32.shr_u (local.get $e) (i32.const 16))))
    (if (i32.ge_u (local.get $cnt) (i32.const 32))
      (then
        (i32.store (local.get $out) (i32.wrap_i64 (local.get $acc)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $acc (i64.shr_u (local.get $acc) (i64.const 32)))
        (local.set $cnt (i32.sub (local.get $cnt) (i32.const 32)))))
    (i32.store offset=3328 (local.get $tab) (i32.wrap_i64 (local.get $acc)))
    (i32.store offset=3332 (local.get $tab) (local.get $cnt))
    (local.get $out))
)
