/**
 * The cells that examples/theta-notation-check.bpnb held before it took the notes of seed 001 as they
 * are (`check notes`): the same notes' numbers, one quantity a line, for the slip tests that name
 * lines by number.
 */
export const THETA_SETUP = `# the 2-2-2 network, θ notation, decimal commas as in the notes
input  x1 x2
layer  h1 h2  sigmoid
layer  o1 o2  sigmoid
theta1_11  x1 -> h1 = 0,15
theta1_12  x2 -> h1 = 0,20
theta1_21  x1 -> h2 = 0,25
theta1_22  x2 -> h2 = 0,30
theta2_11  h1 -> o1 = 0,40
theta2_12  h2 -> o1 = 0,45
theta2_21  h1 -> o2 = 0,50
theta2_22  h2 -> o2 = 0,55
bias b1 -> h1 h2 = 0,35
bias b2 -> o1 o2 = 0,60
freeze b1 b2
loss half-sse
rate 0,5
sample x1=0,05 x2=0,10 -> o1=0,01 o2=0,99
`;

export const THETA_FORWARD = `check
  net(h1) = 0,3825    # z_1^1
  out(h1) = 0,594     # a_1
  net(h2) = 0,39      # z_2
  out(h2) = 0,596     # a_2
  net(o1) = 1,136     # z_1^2
  out(o1) = 0,757
  net(o2) = 1,136     # z_2^2
  out(o2) = 0,757
  E(o1)   = 0,279     # Loss_1
  E(o2)   = 0,027     # Loss_2
  E       = 0,306     # Loss
`;

export const THETA_BACKWARD = `check
  dE/dout(o1)           = 0,99      # a)
  dout(o1)/dnet(o1)     = 0,124     # b)
  dnet(o1)/dtheta2_11   = 0,594     # c)
  dE/dout(o2)           = -0,594    # e)
  dout(o2)/dnet(o2)     = 0,184     # f)
  dout(h1)/dnet(h1)     = 0,201     # j)
  dout(h2)/dnet(h2)     = 0,41      # o)
  dE/dtheta2_11         = 0,082     # 1)
  dE/dtheta2_12         = 0,082     # 2)
  dE/dtheta2_21         = -0,025    # 3)
  dE/dtheta2_22         = -0,026    # 4)
  dE/dtheta1_11         = 4,33e-4   # 5)
  dE/dtheta1_12         = 1,10e-3   # 6)
  dE/dtheta1_21         = 6,02e-4   # 7)
  dE/dtheta1_22         = 1,43e-3   # 8)
`;
