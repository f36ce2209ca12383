;; The compositor's hot loops in WebAssembly SIMD (f64x2), compiled by `scripts/build-wasm.mjs`
;; into `composite-kernel-bytes.ts`. Run `npm run build:wasm -w @layerloom/compositor` after
;; editing; a test fails when the committed bytes differ from this file's.
;;
;; Every function works on one run of columns of one canvas row, staged in this module's memory
;; by the JavaScript kernel (`../composite-band.ts` and `stage-row-wasm.ts`):
;;   - pixels: RGBA bytes, 4 a column (a layer's row, the row a run starts from, the output);
;;   - masks: 1 byte a column;
;;   - the accumulator: 4 float64 a column (32 bytes: red, green | blue, alpha), premultiplied;
;;   - touched: 1 byte a column, 1 once a layer has been blended there (general path only).
;; Pointers point at the run's first column; `n` is the number of columns.
;;
;; The arithmetic is, lane by lane, the JavaScript kernel's own expressions in the same order,
;; in float64 without fused multiply-add, so both give the same bits (tests check it). The
;; colour channels of one pixel are the lanes: red and green in one f64x2, blue and alpha in
;; the other. Bytes are in memory order (R, G, B, A), whatever the machine's byte order.
(module
  (memory (export "memory") 1)

  ;; Straight colour of one blend mode, B(Cb, Cs), for two channels at once. Modes (the codes
  ;; of `blend-mode-codes.ts`): 1 multiply, 2 screen, 3 overlay, 4 darken, 5 lighten,
  ;; 8 hard-light, 9 soft-light, 10 difference, 11 exclusion (`separableModes` in TypeScript).
  (func $blend (param $mode i32) (param $b v128) (param $s v128) (result v128)
    (if (i32.eq (local.get $mode) (i32.const 1))
      (then (return (f64x2.mul (local.get $b) (local.get $s)))))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
        (return
          (f64x2.sub
            (f64x2.add (local.get $b) (local.get $s))
            (f64x2.mul (local.get $b) (local.get $s))))))
    (if (i32.eq (local.get $mode) (i32.const 3))
      (then
        ;; overlay: Cb ≤ 0.5 ? 2·Cb·Cs : 1 − 2·(1 − Cb)·(1 − Cs)
        (return
          (v128.bitselect
            (f64x2.mul (f64x2.mul (v128.const f64x2 2 2) (local.get $b)) (local.get $s))
            (f64x2.sub
              (v128.const f64x2 1 1)
              (f64x2.mul
                (f64x2.mul
                  (v128.const f64x2 2 2)
                  (f64x2.sub (v128.const f64x2 1 1) (local.get $b)))
                (f64x2.sub (v128.const f64x2 1 1) (local.get $s))))
            (f64x2.le (local.get $b) (v128.const f64x2 0.5 0.5))))))
    (if (i32.eq (local.get $mode) (i32.const 4))
      (then (return (f64x2.min (local.get $b) (local.get $s)))))
    (if (i32.eq (local.get $mode) (i32.const 5))
      (then (return (f64x2.max (local.get $b) (local.get $s)))))
    (if (i32.eq (local.get $mode) (i32.const 8))
      (then
        ;; hard-light: Cs ≤ 0.5 ? 2·Cs·Cb : 1 − 2·(1 − Cs)·(1 − Cb)
        (return
          (v128.bitselect
            (f64x2.mul (f64x2.mul (v128.const f64x2 2 2) (local.get $s)) (local.get $b))
            (f64x2.sub
              (v128.const f64x2 1 1)
              (f64x2.mul
                (f64x2.mul
                  (v128.const f64x2 2 2)
                  (f64x2.sub (v128.const f64x2 1 1) (local.get $s)))
                (f64x2.sub (v128.const f64x2 1 1) (local.get $b))))
            (f64x2.le (local.get $s) (v128.const f64x2 0.5 0.5))))))
    (if (i32.eq (local.get $mode) (i32.const 9))
      (then (return (call $softLight (local.get $b) (local.get $s)))))
    (if (i32.eq (local.get $mode) (i32.const 10))
      (then (return (f64x2.abs (f64x2.sub (local.get $b) (local.get $s))))))
    ;; 11, exclusion: Cb + Cs − 2·Cb·Cs
    (f64x2.sub
      (f64x2.add (local.get $b) (local.get $s))
      (f64x2.mul (f64x2.mul (v128.const f64x2 2 2) (local.get $b)) (local.get $s))))

  ;; Soft-light B(Cb, Cs) for two channels: both branches, then the lanes' choice.
  (func $softLight (param $b v128) (param $s v128) (result v128)
    (v128.bitselect
      ;; Cs ≤ 0.5: Cb − (1 − 2·Cs)·Cb·(1 − Cb)
      (f64x2.sub
        (local.get $b)
        (f64x2.mul
          (f64x2.mul
            (f64x2.sub
              (v128.const f64x2 1 1)
              (f64x2.mul (v128.const f64x2 2 2) (local.get $s)))
            (local.get $b))
          (f64x2.sub (v128.const f64x2 1 1) (local.get $b))))
      ;; else Cb + (2·Cs − 1)·(D(Cb) − Cb)
      (f64x2.add
        (local.get $b)
        (f64x2.mul
          (f64x2.sub
            (f64x2.mul (v128.const f64x2 2 2) (local.get $s))
            (v128.const f64x2 1 1))
          (f64x2.sub
            ;; D(Cb) = Cb ≤ 0.25 ? ((16·Cb − 12)·Cb + 4)·Cb : √Cb
            (v128.bitselect
              (f64x2.mul
                (f64x2.add
                  (f64x2.mul
                    (f64x2.sub
                      (f64x2.mul (v128.const f64x2 16 16) (local.get $b))
                      (v128.const f64x2 12 12))
                    (local.get $b))
                  (v128.const f64x2 4 4))
                (local.get $b))
              (f64x2.sqrt (local.get $b))
              (f64x2.le (local.get $b) (v128.const f64x2 0.25 0.25)))
            (local.get $b))))
      (f64x2.le (local.get $s) (v128.const f64x2 0.5 0.5))))

  ;; `markHidden`: over the columns `from` to `to`, marks where layer `level` (which hides what
  ;; is below it) is opaque (mask 255 when `hasMask`) and no higher layer already hides: in
  ;; `starts` (i32 a column) the level, in `hiddenEnd` (i32 a column) the end of the run, and the
  ;; run (start, end, level) appended to `runs` (an i32 count, then 3 a run). Runs shorter than
  ;; `minimum` are left unmarked. `layer`, `mask`, `starts` and `hiddenEnd` point at column 0.
  (func (export "markHidden")
    (param $level i32) (param $layer i32) (param $mask i32) (param $hasMask i32)
    (param $starts i32) (param $hiddenEnd i32) (param $runs i32) (param $from i32) (param $to i32)
    (param $unset i32) (param $minimum i32)
    (local $x i32)
    (local $runStart i32)
    (local $column i32)
    (local $record i32)
    (local.set $x (local.get $from))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_s (local.get $x) (local.get $to)))
        ;; Hidden by a higher layer: jump over its run.
        (if (i32.ne
              (i32.load (i32.add (local.get $starts) (i32.shl (local.get $x) (i32.const 2))))
              (local.get $unset))
          (then
            (local.set $x
              (i32.load (i32.add (local.get $hiddenEnd) (i32.shl (local.get $x) (i32.const 2)))))
            (br $scan)))
        ;; Four pixels none of which is opaque: jump over them.
        (if (i32.le_s (i32.add (local.get $x) (i32.const 4)) (local.get $to))
          (then
            (if (i32.eqz
                  (v128.any_true
                    (i32x4.ge_u
                      (v128.load (i32.add (local.get $layer) (i32.shl (local.get $x) (i32.const 2))))
                      (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000))))
              (then
                (local.set $x (i32.add (local.get $x) (i32.const 4)))
                (br $scan)))))
        (local.set $runStart (local.get $x))
        (block $end
          (loop $extend
            (br_if $end (i32.ge_s (local.get $x) (local.get $to)))
            ;; Four columns at once while all four are unmarked and opaque (mask 255).
            (if (i32.le_s (i32.add (local.get $x) (i32.const 4)) (local.get $to))
              (then
                (if (i32.and
                      (i32.and
                        (i32x4.all_true
                          (i32x4.eq
                            (v128.load
                              (i32.add (local.get $starts) (i32.shl (local.get $x) (i32.const 2))))
                            (i32x4.splat (local.get $unset))))
                        (i32x4.all_true
                          (i32x4.ge_u
                            (v128.load
                              (i32.add (local.get $layer) (i32.shl (local.get $x) (i32.const 2))))
                            (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000))))
                      (i32.or
                        (i32.eqz (local.get $hasMask))
                        (i32.eq
                          (i32.load (i32.add (local.get $mask) (local.get $x)))
                          (i32.const -1))))
                  (then
                    (local.set $x (i32.add (local.get $x) (i32.const 4)))
                    (br $extend)))))
            (br_if $end
              (i32.ne
                (i32.load (i32.add (local.get $starts) (i32.shl (local.get $x) (i32.const 2))))
                (local.get $unset)))
            (br_if $end
              (i32.ne
                (i32.load8_u offset=3
                  (i32.add (local.get $layer) (i32.shl (local.get $x) (i32.const 2))))
                (i32.const 255)))
            (if (local.get $hasMask)
              (then
                (br_if $end
                  (i32.ne
                    (i32.load8_u (i32.add (local.get $mask) (local.get $x)))
                    (i32.const 255)))))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $extend)))
        (if (i32.eq (local.get $x) (local.get $runStart))
          (then
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $scan)))
        (br_if $scan (i32.lt_s (i32.sub (local.get $x) (local.get $runStart)) (local.get $minimum)))
        (local.set $column (local.get $runStart))
        ;; Four columns a store while four remain (a run is at least `minimum` long).
        (block $wide
          (loop $fill4
            (br_if $wide (i32.gt_s (i32.add (local.get $column) (i32.const 4)) (local.get $x)))
            (v128.store
              (i32.add (local.get $starts) (i32.shl (local.get $column) (i32.const 2)))
              (i32x4.splat (local.get $level)))
            (v128.store
              (i32.add (local.get $hiddenEnd) (i32.shl (local.get $column) (i32.const 2)))
              (i32x4.splat (local.get $x)))
            (local.set $column (i32.add (local.get $column) (i32.const 4)))
            (br $fill4)))
        (block $filled
          (br_if $filled (i32.ge_s (local.get $column) (local.get $x)))
          (loop $fill
            (i32.store
              (i32.add (local.get $starts) (i32.shl (local.get $column) (i32.const 2)))
              (local.get $level))
            (i32.store
              (i32.add (local.get $hiddenEnd) (i32.shl (local.get $column) (i32.const 2)))
              (local.get $x))
            (local.set $column (i32.add (local.get $column) (i32.const 1)))
            (br_if $fill (i32.lt_s (local.get $column) (local.get $x)))))
        (local.set $record
          (i32.add
            (local.get $runs)
            (i32.add
              (i32.mul (i32.load (local.get $runs)) (i32.const 12))
              (i32.const 4))))
        (i32.store (local.get $record) (local.get $runStart))
        (i32.store offset=4 (local.get $record) (local.get $x))
        (i32.store offset=8 (local.get $record) (local.get $level))
        (i32.store (local.get $runs) (i32.add (i32.load (local.get $runs)) (i32.const 1)))
        (br $scan))))

  ;; Starts a run over an opaque source: each column's accumulator becomes its colour / 255 and
  ;; alpha 1. Returns 0, the run half done, at the first pixel that is not opaque, else 1.
  (func (export "startOpaque") (param $source i32) (param $acc i32) (param $n i32) (result i32)
    (local $end i32)
    (local $pixel v128)
    (local.set $end (i32.add (local.get $source) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $source) (local.get $end)))
      (loop $next
        (if (i32.ne (i32.load8_u offset=3 (local.get $source)) (i32.const 255))
          (then (return (i32.const 0))))
        (local.set $pixel (v128.load32_zero (local.get $source)))
        (v128.store
          (local.get $acc)
          (f64x2.mul
            (f64x2.convert_low_i32x4_s
              (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
            (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
        (v128.store offset=16
          (local.get $acc)
          (f64x2.replace_lane 1
            (f64x2.mul
              (f64x2.convert_low_i32x4_s
                (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
              (v128.const f64x2 0.00392156862745098 0.00392156862745098))
            (f64.const 1)))
        (local.set $source (i32.add (local.get $source) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $source) (local.get $end)))))
    (i32.const 1))

  ;; `normal` over an opaque backdrop: co = cs·αs + (1 − αs)·cb, alpha stays 1.
  (func (export "normalOpaque")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $pixel v128)
    (local $sourceScale v128)
    (local $keep v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $sourceScale
            (f64x2.splat (f64.mul (local.get $sourceAlpha) (f64.const 0.00392156862745098))))
          (local.set $keep (f64x2.splat (f64.sub (f64.const 1) (local.get $sourceAlpha))))
          (local.set $pixel (v128.load32_zero (local.get $layer)))
          (v128.store
            (local.get $acc)
            (f64x2.add
              (f64x2.mul
                (f64x2.convert_low_i32x4_s
                  (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
                (local.get $sourceScale))
              (f64x2.mul (local.get $keep) (v128.load (local.get $acc)))))
          (v128.store offset=16
            (local.get $acc)
            (f64x2.replace_lane 1
              (f64x2.add
                (f64x2.mul
                  (f64x2.convert_low_i32x4_s
                    (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
                  (local.get $sourceScale))
                (f64x2.mul (local.get $keep) (v128.load offset=16 (local.get $acc))))
              (f64.const 1))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; `multiply` over an opaque backdrop: co = Cb + αs·(Cb·Cs − Cb), alpha stays 1.
  (func (export "multiplyOpaque")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $pixel v128)
    (local $weight v128)
    (local $backdrop v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $weight (f64x2.splat (local.get $sourceAlpha)))
          (local.set $pixel (v128.load32_zero (local.get $layer)))
          (local.set $backdrop (v128.load (local.get $acc)))
          (v128.store
            (local.get $acc)
            (f64x2.add
              (local.get $backdrop)
              (f64x2.mul
                (local.get $weight)
                (f64x2.sub
                  (f64x2.mul
                    (local.get $backdrop)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_s
                        (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
                  (local.get $backdrop)))))
          (local.set $backdrop (v128.load offset=16 (local.get $acc)))
          (v128.store offset=16
            (local.get $acc)
            (f64x2.replace_lane 1
              (f64x2.add
                (local.get $backdrop)
                (f64x2.mul
                  (local.get $weight)
                  (f64x2.sub
                    (f64x2.mul
                      (local.get $backdrop)
                      (f64x2.mul
                        (f64x2.convert_low_i32x4_s
                          (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
                        (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
                    (local.get $backdrop))))
              (f64.const 1))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; `screen` over an opaque backdrop: co = Cb + αs·(Cs − Cb·Cs), alpha stays 1.
  (func (export "screenOpaque")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $pixel v128)
    (local $weight v128)
    (local $backdrop v128)
    (local $source v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $weight (f64x2.splat (local.get $sourceAlpha)))
          (local.set $pixel (v128.load32_zero (local.get $layer)))
          (local.set $backdrop (v128.load (local.get $acc)))
          (local.set $source
            (f64x2.mul
              (f64x2.convert_low_i32x4_s
                (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
              (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
          (v128.store
            (local.get $acc)
            (f64x2.add
              (local.get $backdrop)
              (f64x2.mul
                (local.get $weight)
                (f64x2.sub
                  (local.get $source)
                  (f64x2.mul (local.get $backdrop) (local.get $source))))))
          (local.set $backdrop (v128.load offset=16 (local.get $acc)))
          (local.set $source
            (f64x2.mul
              (f64x2.convert_low_i32x4_s
                (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
              (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
          (v128.store offset=16
            (local.get $acc)
            (f64x2.replace_lane 1
              (f64x2.add
                (local.get $backdrop)
                (f64x2.mul
                  (local.get $weight)
                  (f64x2.sub
                    (local.get $source)
                    (f64x2.mul (local.get $backdrop) (local.get $source)))))
              (f64.const 1))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; `soft-light` over an opaque backdrop: co = Cb + αs·(B(Cb, Cs) − Cb), alpha stays 1.
  (func (export "softLightOpaque")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (call $separableOpaque
      (i32.const 9)
      (local.get $layer)
      (local.get $mask)
      (local.get $hasMask)
      (local.get $acc)
      (local.get $n)
      (local.get $alphaScale)))

  ;; A separable mode (see $blend) over an opaque backdrop: co = Cb + αs·(B(Cb, Cs) − Cb),
  ;; alpha stays 1. Soft-light is inlined here (the common case); the others call $blend.
  (func $separableOpaque (export "separableOpaque")
    (param $mode i32) (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32)
    (param $n i32) (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $pixel v128)
    (local $weight v128)
    (local $backdrop v128)
    (local $source v128)
    (local $blended v128)
    (local $soft i32)
    (local.set $soft (i32.eq (local.get $mode) (i32.const 9)))
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $weight (f64x2.splat (local.get $sourceAlpha)))
          (local.set $pixel (v128.load32_zero (local.get $layer)))
          ;; red and green
          (local.set $backdrop (v128.load (local.get $acc)))
          (local.set $source
            (f64x2.mul
              (f64x2.convert_low_i32x4_s
                (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
              (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
          (if (local.get $soft)
            (then
              (local.set $blended
                (v128.bitselect
                  (f64x2.sub
                    (local.get $backdrop)
                    (f64x2.mul
                      (f64x2.mul
                        (f64x2.sub
                          (v128.const f64x2 1 1)
                          (f64x2.mul (v128.const f64x2 2 2) (local.get $source)))
                        (local.get $backdrop))
                      (f64x2.sub (v128.const f64x2 1 1) (local.get $backdrop))))
                  (f64x2.add
                    (local.get $backdrop)
                    (f64x2.mul
                      (f64x2.sub
                        (f64x2.mul (v128.const f64x2 2 2) (local.get $source))
                        (v128.const f64x2 1 1))
                      (f64x2.sub
                        (v128.bitselect
                          (f64x2.mul
                            (f64x2.add
                              (f64x2.mul
                                (f64x2.sub
                                  (f64x2.mul (v128.const f64x2 16 16) (local.get $backdrop))
                                  (v128.const f64x2 12 12))
                                (local.get $backdrop))
                              (v128.const f64x2 4 4))
                            (local.get $backdrop))
                          (f64x2.sqrt (local.get $backdrop))
                          (f64x2.le (local.get $backdrop) (v128.const f64x2 0.25 0.25)))
                        (local.get $backdrop))))
                  (f64x2.le (local.get $source) (v128.const f64x2 0.5 0.5)))))
            (else
              (local.set $blended
                (call $blend (local.get $mode) (local.get $backdrop) (local.get $source)))))
          (v128.store
            (local.get $acc)
            (f64x2.add
              (local.get $backdrop)
              (f64x2.mul
                (local.get $weight)
                (f64x2.sub (local.get $blended) (local.get $backdrop)))))
          ;; blue (the alpha lane stays 1)
          (local.set $backdrop (v128.load offset=16 (local.get $acc)))
          (local.set $source
            (f64x2.mul
              (f64x2.convert_low_i32x4_s
                (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel)))
              (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
          (if (local.get $soft)
            (then
              (local.set $blended
                (v128.bitselect
                  (f64x2.sub
                    (local.get $backdrop)
                    (f64x2.mul
                      (f64x2.mul
                        (f64x2.sub
                          (v128.const f64x2 1 1)
                          (f64x2.mul (v128.const f64x2 2 2) (local.get $source)))
                        (local.get $backdrop))
                      (f64x2.sub (v128.const f64x2 1 1) (local.get $backdrop))))
                  (f64x2.add
                    (local.get $backdrop)
                    (f64x2.mul
                      (f64x2.sub
                        (f64x2.mul (v128.const f64x2 2 2) (local.get $source))
                        (v128.const f64x2 1 1))
                      (f64x2.sub
                        (v128.bitselect
                          (f64x2.mul
                            (f64x2.add
                              (f64x2.mul
                                (f64x2.sub
                                  (f64x2.mul (v128.const f64x2 16 16) (local.get $backdrop))
                                  (v128.const f64x2 12 12))
                                (local.get $backdrop))
                              (v128.const f64x2 4 4))
                            (local.get $backdrop))
                          (f64x2.sqrt (local.get $backdrop))
                          (f64x2.le (local.get $backdrop) (v128.const f64x2 0.25 0.25)))
                        (local.get $backdrop))))
                  (f64x2.le (local.get $source) (v128.const f64x2 0.5 0.5)))))
            (else
              (local.set $blended
                (call $blend (local.get $mode) (local.get $backdrop) (local.get $source)))))
          (v128.store offset=16
            (local.get $acc)
            (f64x2.replace_lane 1
              (f64x2.add
                (local.get $backdrop)
                (f64x2.mul
                  (local.get $weight)
                  (f64x2.sub (local.get $blended) (local.get $backdrop))))
              (f64.const 1))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; Writes a run blended over an opaque backdrop: each colour × 255 rounded half up (as
  ;; `Math.round`), clamped to 255, alpha 255.
  (func (export "writeOpaque") (param $acc i32) (param $output i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $output) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $output) (local.get $end)))
      (loop $next
        (v128.store32_lane 0
          (local.get $output)
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s
              (i32x4.replace_lane 3
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (i32x4.trunc_sat_f64x2_s_zero
                    (f64x2.add
                      (f64x2.mul (v128.load (local.get $acc)) (v128.const f64x2 255 255))
                      (v128.const f64x2 0.5 0.5)))
                  (i32x4.trunc_sat_f64x2_s_zero
                    (f64x2.add
                      (f64x2.mul (v128.load offset=16 (local.get $acc)) (v128.const f64x2 255 255))
                      (v128.const f64x2 0.5 0.5))))
                (i32.const 255))
              (v128.const i32x4 0 0 0 0))
            (v128.const i32x4 0 0 0 0)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (local.set $output (i32.add (local.get $output) (i32.const 4)))
        (br_if $next (i32.lt_u (local.get $output) (local.get $end))))))

  ;; The general path for one layer over one run of columns that start from the same source
  ;; (`source`: the backdrop's or a hiding layer's pixels), whose backdrop may be translucent:
  ;; a premultiplied accumulator started lazily (`touched`), the blend of `mode` on the straight
  ;; backdrop colour, with the expressions of `applyLayer` (`../apply-layer.ts`), `normal`'s
  ;; included.
  (func (export "blendGeneral")
    (param $mode i32) (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32)
    (param $touched i32) (param $source i32) (param $n i32) (param $alphaScale f64)
    (local $end i32)
    (local $byteAlpha i32)
    (local $coverage i32)
    (local $sourceAlpha f64)
    (local $keep f64)
    (local $alpha f64)
    (local $both f64)
    (local $pixel v128)
    (local $backdropPixel v128)
    (local $sourceRedGreen v128)
    (local $sourceBlueAlpha v128)
    (local $redGreen v128)
    (local $blueAlpha v128)
    (local $straightRedGreen v128)
    (local $straightBlueAlpha v128)
    (local $scale v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $byteAlpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $byteAlpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (br_if $skip (i32.eqz (local.tee $coverage (i32.load8_u (local.get $mask)))))
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (local.get $coverage))
                    (f64.const 0.00392156862745098))))))
          (local.set $keep (f64.sub (f64.const 1) (local.get $sourceAlpha)))
          (local.set $pixel (v128.load32_zero (local.get $layer)))
          ;; The source's bytes as float64.
          (local.set $sourceRedGreen
            (f64x2.convert_low_i32x4_s
              (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel))))
          (local.set $sourceBlueAlpha
            (f64x2.convert_low_i32x4_s
              (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 (local.get $pixel) (local.get $pixel))))
          (if (i32.eqz (local.get $mode))
            (then
              ;; normal: co = Cs·(αs / 255) + (1 − αs)·cb
              (local.set $scale
                (f64x2.splat (f64.mul (local.get $sourceAlpha) (f64.const 0.00392156862745098))))
              (if (i32.load8_u (local.get $touched))
                (then
                  (local.set $alpha (f64.load offset=24 (local.get $acc)))
                  (v128.store
                    (local.get $acc)
                    (f64x2.add
                      (f64x2.mul (local.get $sourceRedGreen) (local.get $scale))
                      (f64x2.mul
                        (f64x2.splat (local.get $keep))
                        (v128.load (local.get $acc)))))
                  (v128.store offset=16
                    (local.get $acc)
                    (f64x2.replace_lane 1
                      (f64x2.add
                        (f64x2.mul (local.get $sourceBlueAlpha) (local.get $scale))
                        (f64x2.mul
                          (f64x2.splat (local.get $keep))
                          (v128.load offset=16 (local.get $acc))))
                      (select
                        (f64.const 1)
                        (f64.add
                          (local.get $sourceAlpha)
                          (f64.mul (local.get $keep) (local.get $alpha)))
                        (f64.eq (local.get $alpha) (f64.const 1)))))
                  (br $skip)))
              (i32.store8 (local.get $touched) (i32.const 1))
              (local.set $backdropPixel (v128.load32_zero (local.get $source)))
              (local.set $alpha
                (select
                  (f64.const 1)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u offset=3 (local.get $source)))
                    (f64.const 0.00392156862745098))
                  (i32.eq (i32.load8_u offset=3 (local.get $source)) (i32.const 255))))
              ;; (1 − αs)·αb / 255
              (local.set $redGreen
                (f64x2.splat
                  (f64.mul
                    (f64.mul (local.get $keep) (local.get $alpha))
                    (f64.const 0.00392156862745098))))
              (v128.store
                (local.get $acc)
                (f64x2.add
                  (f64x2.mul (local.get $sourceRedGreen) (local.get $scale))
                  (f64x2.mul
                    (f64x2.convert_low_i32x4_s
                      (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4
                        (local.get $backdropPixel) (local.get $backdropPixel)))
                    (local.get $redGreen))))
              (v128.store offset=16
                (local.get $acc)
                (f64x2.replace_lane 1
                  (f64x2.add
                    (f64x2.mul (local.get $sourceBlueAlpha) (local.get $scale))
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_s
                        (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4
                          (local.get $backdropPixel) (local.get $backdropPixel)))
                      (local.get $redGreen)))
                  (select
                    (f64.const 1)
                    (f64.add (local.get $sourceAlpha) (f64.mul (local.get $keep) (local.get $alpha)))
                    (f64.eq (local.get $alpha) (f64.const 1)))))
              (br $skip)))
          ;; Another mode: the premultiplied backdrop, from the accumulator or the source.
          (if (i32.load8_u (local.get $touched))
            (then
              (local.set $redGreen (v128.load (local.get $acc)))
              (local.set $blueAlpha (v128.load offset=16 (local.get $acc)))
              (local.set $alpha (f64x2.extract_lane 1 (local.get $blueAlpha))))
            (else
              (i32.store8 (local.get $touched) (i32.const 1))
              (local.set $backdropPixel (v128.load32_zero (local.get $source)))
              (local.set $alpha
                (select
                  (f64.const 1)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u offset=3 (local.get $source)))
                    (f64.const 0.00392156862745098))
                  (i32.eq (i32.load8_u offset=3 (local.get $source)) (i32.const 255))))
              (local.set $scale
                (f64x2.splat (f64.mul (local.get $alpha) (f64.const 0.00392156862745098))))
              (local.set $redGreen
                (f64x2.mul
                  (f64x2.convert_low_i32x4_s
                    (i8x16.shuffle 0 4 4 4 1 4 4 4 4 4 4 4 4 4 4 4
                      (local.get $backdropPixel) (local.get $backdropPixel)))
                  (local.get $scale)))
              (local.set $blueAlpha
                (f64x2.mul
                  (f64x2.convert_low_i32x4_s
                    (i8x16.shuffle 2 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4
                      (local.get $backdropPixel) (local.get $backdropPixel)))
                  (local.get $scale)))))
          ;; The straight source colour.
          (local.set $sourceRedGreen
            (f64x2.mul
              (local.get $sourceRedGreen)
              (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
          (local.set $sourceBlueAlpha
            (f64x2.mul
              (local.get $sourceBlueAlpha)
              (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
          (if (f64.eq (local.get $alpha) (f64.const 0))
            (then
              ;; Nothing to blend with: co = αs·Cs + (1 − αs)·cb
              (v128.store
                (local.get $acc)
                (f64x2.add
                  (f64x2.mul (f64x2.splat (local.get $sourceAlpha)) (local.get $sourceRedGreen))
                  (f64x2.mul (f64x2.splat (local.get $keep)) (local.get $redGreen))))
              (v128.store offset=16
                (local.get $acc)
                (f64x2.replace_lane 1
                  (f64x2.add
                    (f64x2.mul (f64x2.splat (local.get $sourceAlpha)) (local.get $sourceBlueAlpha))
                    (f64x2.mul (f64x2.splat (local.get $keep)) (local.get $blueAlpha)))
                  (local.get $sourceAlpha)))
              (br $skip)))
          (if (f64.eq (local.get $alpha) (f64.const 1))
            (then
              ;; Opaque backdrop: co = Cb + αs·(B(Cb, Cs) − Cb), αo stays 1.
              (v128.store
                (local.get $acc)
                (f64x2.add
                  (local.get $redGreen)
                  (f64x2.mul
                    (f64x2.splat (local.get $sourceAlpha))
                    (f64x2.sub
                      (call $blend (local.get $mode) (local.get $redGreen) (local.get $sourceRedGreen))
                      (local.get $redGreen)))))
              (v128.store offset=16
                (local.get $acc)
                (f64x2.replace_lane 1
                  (f64x2.add
                    (local.get $blueAlpha)
                    (f64x2.mul
                      (f64x2.splat (local.get $sourceAlpha))
                      (f64x2.sub
                        (call $blend
                          (local.get $mode) (local.get $blueAlpha) (local.get $sourceBlueAlpha))
                        (local.get $blueAlpha))))
                  (f64.const 1)))
              (br $skip)))
          ;; co = (1 − αb)·αs·Cs + αs·αb·B(Cb, Cs) + (1 − αs)·cb, on Cb = min(1, cb / αb)
          (local.set $scale (f64x2.splat (f64.div (f64.const 1) (local.get $alpha))))
          (local.set $straightRedGreen
            (f64x2.min
              (v128.const f64x2 1 1)
              (f64x2.mul (local.get $redGreen) (local.get $scale))))
          (local.set $straightBlueAlpha
            (f64x2.min
              (v128.const f64x2 1 1)
              (f64x2.mul (local.get $blueAlpha) (local.get $scale))))
          (local.set $both (f64.mul (local.get $sourceAlpha) (local.get $alpha)))
          (v128.store
            (local.get $acc)
            (f64x2.add
              (f64x2.add
                (f64x2.mul
                  (f64x2.splat (f64.sub (local.get $sourceAlpha) (local.get $both)))
                  (local.get $sourceRedGreen))
                (f64x2.mul
                  (f64x2.splat (local.get $both))
                  (call $blend
                    (local.get $mode) (local.get $straightRedGreen) (local.get $sourceRedGreen))))
              (f64x2.mul (f64x2.splat (local.get $keep)) (local.get $redGreen))))
          (v128.store offset=16
            (local.get $acc)
            (f64x2.replace_lane 1
              (f64x2.add
                (f64x2.add
                  (f64x2.mul
                    (f64x2.splat (f64.sub (local.get $sourceAlpha) (local.get $both)))
                    (local.get $sourceBlueAlpha))
                  (f64x2.mul
                    (f64x2.splat (local.get $both))
                    (call $blend
                      (local.get $mode) (local.get $straightBlueAlpha) (local.get $sourceBlueAlpha))))
                (f64x2.mul (f64x2.splat (local.get $keep)) (local.get $blueAlpha)))
              (f64.add (local.get $sourceAlpha) (f64.mul (local.get $keep) (local.get $alpha))))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (local.set $touched (i32.add (local.get $touched) (i32.const 1)))
        (local.set $source (i32.add (local.get $source) (i32.const 4)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; Writes a run of the general path: touched columns unpremultiplied and rounded once (half
  ;; up, clamped to 255; alpha that rounds to 0 gives a transparent black pixel, as in
  ;; `writeRow`), the others copied from the run's source.
  (func (export "writeGeneral")
    (param $acc i32) (param $touched i32) (param $source i32) (param $output i32) (param $n i32)
    (local $end i32)
    (local $alpha f64)
    (local $scale f64)
    (local.set $end (i32.add (local.get $output) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $output) (local.get $end)))
      (loop $next
        (block $written
          (if (i32.eqz (i32.load8_u (local.get $touched)))
            (then
              (i32.store (local.get $output) (i32.load (local.get $source)))
              (br $written)))
          (local.set $alpha (f64.load offset=24 (local.get $acc)))
          (if (i32.eqz
                (f64.ge
                  (f64.add (f64.mul (local.get $alpha) (f64.const 255)) (f64.const 0.5))
                  (f64.const 1)))
            (then
              (i32.store (local.get $output) (i32.const 0))
              (br $written)))
          (local.set $scale (f64.div (f64.const 255) (local.get $alpha)))
          (v128.store32_lane 0
            (local.get $output)
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (i32x4.trunc_sat_f64x2_s_zero
                    (f64x2.add
                      (f64x2.mul (v128.load (local.get $acc)) (f64x2.splat (local.get $scale)))
                      (v128.const f64x2 0.5 0.5)))
                  (i32x4.trunc_sat_f64x2_s_zero
                    (f64x2.add
                      (f64x2.mul
                        (v128.load offset=16 (local.get $acc))
                        (f64x2.replace_lane 1 (f64x2.splat (local.get $scale)) (f64.const 255)))
                      (v128.const f64x2 0.5 0.5))))
                (v128.const i32x4 0 0 0 0))
              (v128.const i32x4 0 0 0 0))))
        (local.set $acc (i32.add (local.get $acc) (i32.const 32)))
        (local.set $touched (i32.add (local.get $touched) (i32.const 1)))
        (local.set $source (i32.add (local.get $source) (i32.const 4)))
        (local.set $output (i32.add (local.get $output) (i32.const 4)))
        (br_if $next (i32.lt_u (local.get $output) (local.get $end))))))

  ;; ---------------------------------------------------------------------------------------
  ;; The fast path, in float32: a run over an opaque backdrop whose layers are all `normal`,
  ;; `multiply`, `screen` or `soft-light`. One f32x4 holds a pixel (red, green, blue and an
  ;; unused lane), so each loop does half the work of the float64 ones; the accumulator is 16
  ;; bytes a column. Float32 rounding moves a value by about 10⁻⁷ of a channel, so a result
  ;; can differ from the float64 kernels' by one where the exact value is within that of a
  ;; rounding boundary: still within ±1 of the exact result. Source alpha and the weights are
  ;; computed in float64 (as the other loops) and then rounded to float32, so αs = 1 still
  ;; replaces the backdrop exactly.

  ;; Starts a run over an opaque source in float32: colour / 255. Returns 0 (the run half done)
  ;; at the first pixel that is not opaque, else 1.
  (func (export "startOpaque32") (param $source i32) (param $acc i32) (param $n i32) (result i32)
    (local $end i32)
    (local $pixels v128)
    (local $low v128)
    (local $high v128)
    (local.set $end (i32.add (local.get $source) (i32.shl (local.get $n) (i32.const 2))))
    ;; Four pixels at a time, then one.
    (block $wide
      (loop $next4
        (br_if $wide (i32.gt_u (i32.add (local.get $source) (i32.const 16)) (local.get $end)))
        (local.set $pixels (v128.load (local.get $source)))
        (if (i32.eqz
              (i32x4.all_true
                (i32x4.ge_u
                  (local.get $pixels)
                  (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000))))
          (then (return (i32.const 0))))
        (local.set $low (i16x8.extend_low_i8x16_u (local.get $pixels)))
        (local.set $high (i16x8.extend_high_i8x16_u (local.get $pixels)))
        (v128.store
          (local.get $acc)
          (f32x4.mul
            (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $low)))
            (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
        (v128.store offset=16
          (local.get $acc)
          (f32x4.mul
            (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $low)))
            (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
        (v128.store offset=32
          (local.get $acc)
          (f32x4.mul
            (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $high)))
            (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
        (v128.store offset=48
          (local.get $acc)
          (f32x4.mul
            (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $high)))
            (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
        (local.set $source (i32.add (local.get $source) (i32.const 16)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 64)))
        (br $next4)))
    (block $done
      (br_if $done (i32.ge_u (local.get $source) (local.get $end)))
      (loop $next
        (if (i32.ne (i32.load8_u offset=3 (local.get $source)) (i32.const 255))
          (then (return (i32.const 0))))
        (v128.store
          (local.get $acc)
          (f32x4.mul
            (f32x4.convert_i32x4_s
              (i32x4.extend_low_i16x8_u
                (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $source)))))
            (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
        (local.set $source (i32.add (local.get $source) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $source) (local.get $end)))))
    (i32.const 1))

  ;; `normal` over an opaque backdrop, float32. Four pixels an iteration, then one: their
  ;; weights in two f64x2 (the same float64 expressions as the one-pixel loop, mask included, so
  ;; the same bits), a group of four transparent pixels skipped; a transparent or masked-out
  ;; pixel among others gets weights 0 and 1, which leave its column's bits unchanged, as
  ;; skipping it would.
  (func (export "normalOpaque32")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $backdrop v128)
    (local $source v128)
    (local $pixels v128)
    (local $alphas v128)
    (local $low v128)
    (local $high v128)
    (local $alpha01 v128)
    (local $alpha23 v128)
    (local $sourceWeight v128)
    (local $backdropWeight v128)
    (local $masks v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $wide
      (loop $next4
        (br_if $wide (i32.gt_u (i32.add (local.get $layer) (i32.const 16)) (local.get $end)))
        (local.set $pixels (v128.load (local.get $layer)))
        (local.set $alphas (i32x4.shr_u (local.get $pixels) (i32.const 24)))
        (if (v128.any_true (local.get $alphas))
          (then
            (local.set $alpha01
              (f64x2.mul
                (f64x2.convert_low_i32x4_u (local.get $alphas))
                (f64x2.splat (local.get $alphaScale))))
            (local.set $alpha23
              (f64x2.mul
                (f64x2.convert_low_i32x4_u
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                    (local.get $alphas) (local.get $alphas)))
                (f64x2.splat (local.get $alphaScale))))
            (if (local.get $hasMask)
              (then
                (local.set $masks
                  (i32x4.extend_low_i16x8_u
                    (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $mask)))))
                (local.set $alpha01
                  (f64x2.mul
                    (local.get $alpha01)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u (local.get $masks))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))
                (local.set $alpha23
                  (f64x2.mul
                    (local.get $alpha23)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                          (local.get $masks) (local.get $masks)))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))))
            ;; Cs·(αs / 255) + (1 − αs)·cb, per pixel
            (local.set $sourceWeight
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero
                  (f64x2.mul (local.get $alpha01) (v128.const f64x2 0.00392156862745098 0.00392156862745098)))
                (f32x4.demote_f64x2_zero
                  (f64x2.mul (local.get $alpha23) (v128.const f64x2 0.00392156862745098 0.00392156862745098)))))
            (local.set $backdropWeight
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero
                  (f64x2.sub (v128.const f64x2 1 1) (local.get $alpha01)))
                (f32x4.demote_f64x2_zero
                  (f64x2.sub (v128.const f64x2 1 1) (local.get $alpha23)))))
            (local.set $low (i16x8.extend_low_i8x16_u (local.get $pixels)))
            (local.set $high (i16x8.extend_high_i8x16_u (local.get $pixels)))
            (v128.store
              (local.get $acc)
              (f32x4.add
                (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $low)))
                  (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $sourceWeight) (local.get $sourceWeight)))
                (f32x4.mul
                  (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $backdropWeight) (local.get $backdropWeight))
                  (v128.load (local.get $acc)))))
            (v128.store offset=16
              (local.get $acc)
              (f32x4.add
                (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $low)))
                  (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $sourceWeight) (local.get $sourceWeight)))
                (f32x4.mul
                  (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $backdropWeight) (local.get $backdropWeight))
                  (v128.load offset=16 (local.get $acc)))))
            (v128.store offset=32
              (local.get $acc)
              (f32x4.add
                (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $high)))
                  (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $sourceWeight) (local.get $sourceWeight)))
                (f32x4.mul
                  (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $backdropWeight) (local.get $backdropWeight))
                  (v128.load offset=32 (local.get $acc)))))
            (v128.store offset=48
              (local.get $acc)
              (f32x4.add
                (f32x4.mul
                  (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $high)))
                  (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $sourceWeight) (local.get $sourceWeight)))
                (f32x4.mul
                  (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $backdropWeight) (local.get $backdropWeight))
                  (v128.load offset=48 (local.get $acc)))))
))
        (local.set $layer (i32.add (local.get $layer) (i32.const 16)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 64)))
        (br $next4)))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $backdrop (v128.load (local.get $acc)))
          (local.set $source
            (f32x4.convert_i32x4_s
              (i32x4.extend_low_i16x8_u
                (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $layer))))))
          ;; co = Cs·(αs / 255) + (1 − αs)·cb
          (v128.store
            (local.get $acc)
            (f32x4.add
              (f32x4.mul
                (local.get $source)
                (f32x4.splat
                  (f32.demote_f64 (f64.mul (local.get $sourceAlpha) (f64.const 0.00392156862745098)))))
              (f32x4.mul
                (f32x4.splat (f32.demote_f64 (f64.sub (f64.const 1) (local.get $sourceAlpha))))
                (local.get $backdrop)))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; `multiply` over an opaque backdrop, float32. Four pixels an iteration, then one, as
  ;; `normalOpaque32`.
  (func (export "multiplyOpaque32")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $backdrop v128)
    (local $source v128)
    (local $pixels v128)
    (local $alphas v128)
    (local $low v128)
    (local $high v128)
    (local $weight v128)
    (local $alpha01 v128)
    (local $alpha23 v128)
    (local $masks v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $wide
      (loop $next4
        (br_if $wide (i32.gt_u (i32.add (local.get $layer) (i32.const 16)) (local.get $end)))
        (local.set $pixels (v128.load (local.get $layer)))
        (local.set $alphas (i32x4.shr_u (local.get $pixels) (i32.const 24)))
        (if (v128.any_true (local.get $alphas))
          (then
            (local.set $alpha01
              (f64x2.mul
                (f64x2.convert_low_i32x4_u (local.get $alphas))
                (f64x2.splat (local.get $alphaScale))))
            (local.set $alpha23
              (f64x2.mul
                (f64x2.convert_low_i32x4_u
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                    (local.get $alphas) (local.get $alphas)))
                (f64x2.splat (local.get $alphaScale))))
            (if (local.get $hasMask)
              (then
                (local.set $masks
                  (i32x4.extend_low_i16x8_u
                    (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $mask)))))
                (local.set $alpha01
                  (f64x2.mul
                    (local.get $alpha01)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u (local.get $masks))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))
                (local.set $alpha23
                  (f64x2.mul
                    (local.get $alpha23)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                          (local.get $masks) (local.get $masks)))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))))
            (local.set $weight
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (local.get $alpha01))
                (f32x4.demote_f64x2_zero (local.get $alpha23))))
            (local.set $low (i16x8.extend_low_i8x16_u (local.get $pixels)))
            (local.set $high (i16x8.extend_high_i8x16_u (local.get $pixels)))
            ;; co = Cb + αs·(Cb·Cs − Cb)
            (local.set $backdrop (v128.load (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $low))))
            (v128.store
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (f32x4.mul (local.get $backdrop) (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
                    (local.get $backdrop)))))
            (local.set $backdrop (v128.load offset=16 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $low))))
            (v128.store offset=16
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (f32x4.mul (local.get $backdrop) (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
                    (local.get $backdrop)))))
            (local.set $backdrop (v128.load offset=32 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $high))))
            (v128.store offset=32
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (f32x4.mul (local.get $backdrop) (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
                    (local.get $backdrop)))))
            (local.set $backdrop (v128.load offset=48 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $high))))
            (v128.store offset=48
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (f32x4.mul (local.get $backdrop) (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
                    (local.get $backdrop)))))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 16)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 64)))
        (br $next4)))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $backdrop (v128.load (local.get $acc)))
          (local.set $source
            (f32x4.convert_i32x4_s
              (i32x4.extend_low_i16x8_u
                (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $layer))))))
          ;; co = Cb + αs·(Cb·Cs − Cb)
          (v128.store
            (local.get $acc)
            (f32x4.add
              (local.get $backdrop)
              (f32x4.mul
                (f32x4.splat (f32.demote_f64 (local.get $sourceAlpha)))
                (f32x4.sub
                  (f32x4.mul (local.get $backdrop) (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
                  (local.get $backdrop))))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; `screen` over an opaque backdrop, float32. Four pixels an iteration, then one, as
  ;; `normalOpaque32`.
  (func (export "screenOpaque32")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $backdrop v128)
    (local $source v128)
    (local $pixels v128)
    (local $alphas v128)
    (local $low v128)
    (local $high v128)
    (local $weight v128)
    (local $alpha01 v128)
    (local $alpha23 v128)
    (local $masks v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $wide
      (loop $next4
        (br_if $wide (i32.gt_u (i32.add (local.get $layer) (i32.const 16)) (local.get $end)))
        (local.set $pixels (v128.load (local.get $layer)))
        (local.set $alphas (i32x4.shr_u (local.get $pixels) (i32.const 24)))
        (if (v128.any_true (local.get $alphas))
          (then
            (local.set $alpha01
              (f64x2.mul
                (f64x2.convert_low_i32x4_u (local.get $alphas))
                (f64x2.splat (local.get $alphaScale))))
            (local.set $alpha23
              (f64x2.mul
                (f64x2.convert_low_i32x4_u
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                    (local.get $alphas) (local.get $alphas)))
                (f64x2.splat (local.get $alphaScale))))
            (if (local.get $hasMask)
              (then
                (local.set $masks
                  (i32x4.extend_low_i16x8_u
                    (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $mask)))))
                (local.set $alpha01
                  (f64x2.mul
                    (local.get $alpha01)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u (local.get $masks))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))
                (local.set $alpha23
                  (f64x2.mul
                    (local.get $alpha23)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                          (local.get $masks) (local.get $masks)))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))))
            (local.set $weight
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (local.get $alpha01))
                (f32x4.demote_f64x2_zero (local.get $alpha23))))
            (local.set $low (i16x8.extend_low_i8x16_u (local.get $pixels)))
            (local.set $high (i16x8.extend_high_i8x16_u (local.get $pixels)))
            ;; co = Cb + αs·(Cs − Cb·Cs)
            (local.set $backdrop (v128.load (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $low))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (local.get $source)
                    (f32x4.mul (local.get $backdrop) (local.get $source))))))
            (local.set $backdrop (v128.load offset=16 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $low))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store offset=16
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (local.get $source)
                    (f32x4.mul (local.get $backdrop) (local.get $source))))))
            (local.set $backdrop (v128.load offset=32 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $high))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store offset=32
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (local.get $source)
                    (f32x4.mul (local.get $backdrop) (local.get $source))))))
            (local.set $backdrop (v128.load offset=48 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $high))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store offset=48
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (local.get $source)
                    (f32x4.mul (local.get $backdrop) (local.get $source))))))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 16)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 64)))
        (br $next4)))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $backdrop (v128.load (local.get $acc)))
          (local.set $source
            (f32x4.convert_i32x4_s
              (i32x4.extend_low_i16x8_u
                (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $layer))))))
          ;; co = Cb + αs·(Cs − Cb·Cs)
          (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
          (v128.store
            (local.get $acc)
            (f32x4.add
              (local.get $backdrop)
              (f32x4.mul
                (f32x4.splat (f32.demote_f64 (local.get $sourceAlpha)))
                (f32x4.sub
                  (local.get $source)
                  (f32x4.mul (local.get $backdrop) (local.get $source)))))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; `soft-light` over an opaque backdrop, float32. Four pixels an iteration, then one, as
  ;; `normalOpaque32`.
  (func (export "softLightOpaque32")
    (param $layer i32) (param $mask i32) (param $hasMask i32) (param $acc i32) (param $n i32)
    (param $alphaScale f64)
    (local $end i32)
    (local $alpha i32)
    (local $sourceAlpha f64)
    (local $backdrop v128)
    (local $source v128)
    (local $pixels v128)
    (local $alphas v128)
    (local $low v128)
    (local $high v128)
    (local $weight v128)
    (local $alpha01 v128)
    (local $alpha23 v128)
    (local $masks v128)
    (local.set $end (i32.add (local.get $layer) (i32.shl (local.get $n) (i32.const 2))))
    (block $wide
      (loop $next4
        (br_if $wide (i32.gt_u (i32.add (local.get $layer) (i32.const 16)) (local.get $end)))
        (local.set $pixels (v128.load (local.get $layer)))
        (local.set $alphas (i32x4.shr_u (local.get $pixels) (i32.const 24)))
        (if (v128.any_true (local.get $alphas))
          (then
            (local.set $alpha01
              (f64x2.mul
                (f64x2.convert_low_i32x4_u (local.get $alphas))
                (f64x2.splat (local.get $alphaScale))))
            (local.set $alpha23
              (f64x2.mul
                (f64x2.convert_low_i32x4_u
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                    (local.get $alphas) (local.get $alphas)))
                (f64x2.splat (local.get $alphaScale))))
            (if (local.get $hasMask)
              (then
                (local.set $masks
                  (i32x4.extend_low_i16x8_u
                    (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $mask)))))
                (local.set $alpha01
                  (f64x2.mul
                    (local.get $alpha01)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u (local.get $masks))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))
                (local.set $alpha23
                  (f64x2.mul
                    (local.get $alpha23)
                    (f64x2.mul
                      (f64x2.convert_low_i32x4_u
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                          (local.get $masks) (local.get $masks)))
                      (v128.const f64x2 0.00392156862745098 0.00392156862745098))))))
            (local.set $weight
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (local.get $alpha01))
                (f32x4.demote_f64x2_zero (local.get $alpha23))))
            (local.set $low (i16x8.extend_low_i8x16_u (local.get $pixels)))
            (local.set $high (i16x8.extend_high_i8x16_u (local.get $pixels)))
            ;; co = Cb + αs·(B(Cb, Cs) − Cb), B as $softLight
            (local.set $backdrop (v128.load (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $low))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (v128.bitselect
                      (f32x4.sub
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.mul
                            (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)))
                            (local.get $backdrop))
                          (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $backdrop))))
                      (f32x4.add
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.sub (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)) (v128.const f32x4 1 1 1 1))
                          (f32x4.sub
                            (v128.bitselect
                              (f32x4.mul
                                (f32x4.add
                                  (f32x4.mul
                                    (f32x4.sub
                                      (f32x4.mul (v128.const f32x4 16 16 16 16) (local.get $backdrop))
                                      (v128.const f32x4 12 12 12 12))
                                    (local.get $backdrop))
                                  (v128.const f32x4 4 4 4 4))
                                (local.get $backdrop))
                              (f32x4.sqrt (local.get $backdrop))
                              (f32x4.le (local.get $backdrop) (v128.const f32x4 0.25 0.25 0.25 0.25)))
                            (local.get $backdrop))))
                      (f32x4.le (local.get $source) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                    (local.get $backdrop)))))
            (local.set $backdrop (v128.load offset=16 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $low))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store offset=16
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (v128.bitselect
                      (f32x4.sub
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.mul
                            (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)))
                            (local.get $backdrop))
                          (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $backdrop))))
                      (f32x4.add
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.sub (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)) (v128.const f32x4 1 1 1 1))
                          (f32x4.sub
                            (v128.bitselect
                              (f32x4.mul
                                (f32x4.add
                                  (f32x4.mul
                                    (f32x4.sub
                                      (f32x4.mul (v128.const f32x4 16 16 16 16) (local.get $backdrop))
                                      (v128.const f32x4 12 12 12 12))
                                    (local.get $backdrop))
                                  (v128.const f32x4 4 4 4 4))
                                (local.get $backdrop))
                              (f32x4.sqrt (local.get $backdrop))
                              (f32x4.le (local.get $backdrop) (v128.const f32x4 0.25 0.25 0.25 0.25)))
                            (local.get $backdrop))))
                      (f32x4.le (local.get $source) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                    (local.get $backdrop)))))
            (local.set $backdrop (v128.load offset=32 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $high))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store offset=32
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (v128.bitselect
                      (f32x4.sub
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.mul
                            (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)))
                            (local.get $backdrop))
                          (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $backdrop))))
                      (f32x4.add
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.sub (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)) (v128.const f32x4 1 1 1 1))
                          (f32x4.sub
                            (v128.bitselect
                              (f32x4.mul
                                (f32x4.add
                                  (f32x4.mul
                                    (f32x4.sub
                                      (f32x4.mul (v128.const f32x4 16 16 16 16) (local.get $backdrop))
                                      (v128.const f32x4 12 12 12 12))
                                    (local.get $backdrop))
                                  (v128.const f32x4 4 4 4 4))
                                (local.get $backdrop))
                              (f32x4.sqrt (local.get $backdrop))
                              (f32x4.le (local.get $backdrop) (v128.const f32x4 0.25 0.25 0.25 0.25)))
                            (local.get $backdrop))))
                      (f32x4.le (local.get $source) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                    (local.get $backdrop)))))
            (local.set $backdrop (v128.load offset=48 (local.get $acc)))
            (local.set $source (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $high))))
            (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
            (v128.store offset=48
              (local.get $acc)
              (f32x4.add
                (local.get $backdrop)
                (f32x4.mul
                  (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $weight) (local.get $weight))
                  (f32x4.sub
                    (v128.bitselect
                      (f32x4.sub
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.mul
                            (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)))
                            (local.get $backdrop))
                          (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $backdrop))))
                      (f32x4.add
                        (local.get $backdrop)
                        (f32x4.mul
                          (f32x4.sub (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)) (v128.const f32x4 1 1 1 1))
                          (f32x4.sub
                            (v128.bitselect
                              (f32x4.mul
                                (f32x4.add
                                  (f32x4.mul
                                    (f32x4.sub
                                      (f32x4.mul (v128.const f32x4 16 16 16 16) (local.get $backdrop))
                                      (v128.const f32x4 12 12 12 12))
                                    (local.get $backdrop))
                                  (v128.const f32x4 4 4 4 4))
                                (local.get $backdrop))
                              (f32x4.sqrt (local.get $backdrop))
                              (f32x4.le (local.get $backdrop) (v128.const f32x4 0.25 0.25 0.25 0.25)))
                            (local.get $backdrop))))
                      (f32x4.le (local.get $source) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                    (local.get $backdrop)))))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 16)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 4)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 64)))
        (br $next4)))
    (block $done
      (br_if $done (i32.ge_u (local.get $layer) (local.get $end)))
      (loop $next
        (block $skip
          (br_if $skip (i32.eqz (local.tee $alpha (i32.load8_u offset=3 (local.get $layer)))))
          (local.set $sourceAlpha
            (f64.mul (f64.convert_i32_u (local.get $alpha)) (local.get $alphaScale)))
          (if (local.get $hasMask)
            (then
              (local.set $sourceAlpha
                (f64.mul
                  (local.get $sourceAlpha)
                  (f64.mul
                    (f64.convert_i32_u (i32.load8_u (local.get $mask)))
                    (f64.const 0.00392156862745098))))))
          (local.set $backdrop (v128.load (local.get $acc)))
          (local.set $source
            (f32x4.convert_i32x4_s
              (i32x4.extend_low_i16x8_u
                (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $layer))))))
          ;; co = Cb + αs·(B(Cb, Cs) − Cb), B as $softLight
          (local.set $source (f32x4.mul (local.get $source) (v128.const f32x4 0.003921569 0.003921569 0.003921569 0.003921569)))
          (v128.store
            (local.get $acc)
            (f32x4.add
              (local.get $backdrop)
              (f32x4.mul
                (f32x4.splat (f32.demote_f64 (local.get $sourceAlpha)))
                (f32x4.sub
                  (v128.bitselect
                    (f32x4.sub
                      (local.get $backdrop)
                      (f32x4.mul
                        (f32x4.mul
                          (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)))
                          (local.get $backdrop))
                        (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $backdrop))))
                    (f32x4.add
                      (local.get $backdrop)
                      (f32x4.mul
                        (f32x4.sub (f32x4.mul (v128.const f32x4 2 2 2 2) (local.get $source)) (v128.const f32x4 1 1 1 1))
                        (f32x4.sub
                          (v128.bitselect
                            (f32x4.mul
                              (f32x4.add
                                (f32x4.mul
                                  (f32x4.sub
                                    (f32x4.mul (v128.const f32x4 16 16 16 16) (local.get $backdrop))
                                    (v128.const f32x4 12 12 12 12))
                                  (local.get $backdrop))
                                (v128.const f32x4 4 4 4 4))
                              (local.get $backdrop))
                            (f32x4.sqrt (local.get $backdrop))
                            (f32x4.le (local.get $backdrop) (v128.const f32x4 0.25 0.25 0.25 0.25)))
                          (local.get $backdrop))))
                    (f32x4.le (local.get $source) (v128.const f32x4 0.5 0.5 0.5 0.5)))
                  (local.get $backdrop))))))
        (local.set $layer (i32.add (local.get $layer) (i32.const 4)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $layer) (local.get $end))))))

  ;; Writes a float32 run: colour × 255 rounded half up, clamped to 0..255, alpha 255.
  (func (export "writeOpaque32") (param $acc i32) (param $output i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $output) (i32.shl (local.get $n) (i32.const 2))))
    ;; Four pixels a store (the saturating narrows clamp), alpha set to 255 after; then one.
    (block $wide
      (loop $next4
        (br_if $wide (i32.gt_u (i32.add (local.get $output) (i32.const 16)) (local.get $end)))
        (v128.store
          (local.get $output)
          (v128.or
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s
                (i32x4.trunc_sat_f32x4_s
                  (f32x4.add
                    (f32x4.mul (v128.load (local.get $acc)) (v128.const f32x4 255 255 255 255))
                    (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (i32x4.trunc_sat_f32x4_s
                  (f32x4.add
                    (f32x4.mul (v128.load offset=16 (local.get $acc)) (v128.const f32x4 255 255 255 255))
                    (v128.const f32x4 0.5 0.5 0.5 0.5))))
              (i16x8.narrow_i32x4_s
                (i32x4.trunc_sat_f32x4_s
                  (f32x4.add
                    (f32x4.mul (v128.load offset=32 (local.get $acc)) (v128.const f32x4 255 255 255 255))
                    (v128.const f32x4 0.5 0.5 0.5 0.5)))
                (i32x4.trunc_sat_f32x4_s
                  (f32x4.add
                    (f32x4.mul (v128.load offset=48 (local.get $acc)) (v128.const f32x4 255 255 255 255))
                    (v128.const f32x4 0.5 0.5 0.5 0.5)))))
            (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 64)))
        (local.set $output (i32.add (local.get $output) (i32.const 16)))
        (br $next4)))
    (block $done
      (br_if $done (i32.ge_u (local.get $output) (local.get $end)))
      (loop $next
        (v128.store32_lane 0
          (local.get $output)
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s
              (i32x4.replace_lane 3 (i32x4.trunc_sat_f32x4_s
                  (f32x4.add
                    (f32x4.mul (v128.load (local.get $acc)) (v128.const f32x4 255 255 255 255))
                    (v128.const f32x4 0.5 0.5 0.5 0.5))) (i32.const 255))
              (v128.const i32x4 0 0 0 0))
            (v128.const i32x4 0 0 0 0)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 16)))
        (local.set $output (i32.add (local.get $output) (i32.const 4)))
        (br_if $next (i32.lt_u (local.get $output) (local.get $end)))))))
