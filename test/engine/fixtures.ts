/**
 * The issue's cells, verbatim (issue 2), and the published numbers of the 2-2-2 example (Mazur's
 * step-by-step walk-through, reproduced in the students' notes, seed 004) that tests compare with.
 */
export const MAZUR_CELL = `# Mazur's step-by-step example
input  i1 i2
layer  h1 h2  sigmoid
layer  o1 o2  sigmoid
w1  i1 -> h1 = 0.15
w2  i2 -> h1 = 0.20
w3  i1 -> h2 = 0.25
w4  i2 -> h2 = 0.30
w5  h1 -> o1 = 0.40
w6  h2 -> o1 = 0.45
w7  h1 -> o2 = 0.50
w8  h2 -> o2 = 0.55
bias b1 -> h1 h2 = 0.35        # one parameter shared by h1 and h2
bias b2 -> o1 o2 = 0.60
freeze b1 b2                   # training never changes them
loss half-sse                  # E = Σ ½ (t − o)²
rate 0.5
sample i1=0.05 i2=0.10 -> o1=0.01 o2=0.99
`;

export const MAZUR_CHECK_CELL = `check
  E      = 0.298371109
  out(h1) = 0.593269992
  dE/dw5 = 0.082167041
  dE/dout(h1) = 0.036350306
  w5'    = 0.35891648
  w1'    = 0.149780716
`;

export const DATA_TABLE_CELL = `input x1 x2
layer h1 h2 relu
layer y linear
init xavier seed 3
loss sse
rate 0.00001
mode batch
data
  x1  x2  -> y
  90  40  -> 10
  30  50  -> 25
  20  60  -> 36
`;

/** The published values (seed 004), before and after one step. */
export const PUBLISHED = {
  E: 0.298371109,
  outH1: 0.593269992,
  outH2: 0.596884378,
  outO1: 0.75136507,
  outO2: 0.772928465,
  EO1: 0.274811083,
  EO2: 0.023560026,
  dE_dw5: 0.082167041,
  dE_doutH1: 0.036350306,
  doutO1_dnetO1: 0.186815602,
  dE_dw1: 0.000438568,
  after: {
    w1: 0.149780716, w2: 0.19956143,
    // The notes write 0.24995114 for w3' — a slip (a 9 for a 7): by hand, ∂E/∂w3 = x1 · out_h2(1 − out_h2) ·
    // ∂E/∂out_h2 = 0.05 × 0.240613417 × 0.041370323 = 0.000497713, so w3' = 0.25 − 0.5 × 0.000497713 =
    // 0.24975114, which is also the value in Mazur's original post.
    w3: 0.24975114, w4: 0.29950229,
    w5: 0.35891648, w6: 0.408666186, w7: 0.511301270, w8: 0.561370121,
  },
};

/** The ReLU chain of seed 002 (x = 3, y = 2, w1 = 0.5, w2 = 0.8, η = 0.1, half-mse). */
export const RELU_CHAIN_CELL = `input x
layer a relu
layer yhat relu
w1 x -> a = 0.5
w2 a -> yhat = 0.8
loss half-mse
rate 0.1
sample x=3 -> yhat=2
`;

/** The classification chapter's 2-3-3 softmax classifier under cross-entropy (examples/softmax-2-3-3.bpnb). */
export const SOFTMAX_CELL = `input x1 x2
layer h1 h2 h3 sigmoid
layer o1 o2 o3 softmax
w1 x1 -> h1 = 0.1
w2 x2 -> h1 = 0.2
w3 x1 -> h2 = 0.3
w4 x2 -> h2 = -0.1
w5 x1 -> h3 = -0.2
w6 x2 -> h3 = 0.4
w7 h1 -> o1 = 0.3
w8 h2 -> o1 = -0.2
w9 h3 -> o1 = 0.5
w10 h1 -> o2 = 0.1
w11 h2 -> o2 = 0.4
w12 h3 -> o2 = -0.3
w13 h1 -> o3 = -0.4
w14 h2 -> o3 = 0.2
w15 h3 -> o3 = 0.1
bias b1 -> h1 h2 h3 = 0.1
bias b3 -> o1 = 0
bias b4 -> o2 = 0.1
bias b5 -> o3 = -0.1
loss cross-entropy
rate 0.5
sample x1=0.5 x2=1.0 -> o1=0 o2=1 o3=0
`;
