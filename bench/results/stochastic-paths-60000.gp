set terminal pngcairo size 1200,520
set output 'stochastic-paths-60000.png'
set multiplot layout 1,2 title 'LSTM, published weights, 60000 training images: H against time'
set logscale xy
set grid
set key bottom left font ',9'
set ylabel 'reported path height H (full landscape)'
set xlabel 'wall time (s)'
set title 'wall time'
plot 'stochastic-paths-60000.dat' index 0 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#000000' title 'full batch, pair 0-1', \
  'stochastic-paths-60000.dat' index 1 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#c0392b' title 'B = 500, pair 0-1', \
  'stochastic-paths-60000.dat' index 2 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#27ae60' title 'B = 2000, pair 0-1', \
  'stochastic-paths-60000.dat' index 3 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#2471a3' title 'B = 8000, pair 0-1', \
  'stochastic-paths-60000.dat' index 4 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#000000' title 'full batch, pair 2-3', \
  'stochastic-paths-60000.dat' index 5 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#c0392b' title 'B = 500, pair 2-3', \
  'stochastic-paths-60000.dat' index 6 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#27ae60' title 'B = 2000, pair 2-3', \
  'stochastic-paths-60000.dat' index 7 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#2471a3' title 'B = 8000, pair 2-3'
set key off
set xlabel 'CPU time, 2 threads (s)'
set title 'CPU time'
plot 'stochastic-paths-60000.dat' index 0 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#000000' title 'full batch, pair 0-1', \
  'stochastic-paths-60000.dat' index 1 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#c0392b' title 'B = 500, pair 0-1', \
  'stochastic-paths-60000.dat' index 2 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#27ae60' title 'B = 2000, pair 0-1', \
  'stochastic-paths-60000.dat' index 3 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#2471a3' title 'B = 8000, pair 0-1', \
  'stochastic-paths-60000.dat' index 4 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#000000' title 'full batch, pair 2-3', \
  'stochastic-paths-60000.dat' index 5 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#c0392b' title 'B = 500, pair 2-3', \
  'stochastic-paths-60000.dat' index 6 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#27ae60' title 'B = 2000, pair 2-3', \
  'stochastic-paths-60000.dat' index 7 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#2471a3' title 'B = 8000, pair 2-3'
unset multiplot
set terminal svg size 1200,520
set output 'stochastic-paths-60000.svg'
set multiplot layout 1,2 title 'LSTM, published weights, 60000 training images: H against time'
set logscale xy
set grid
set key bottom left font ',9'
set ylabel 'reported path height H (full landscape)'
set xlabel 'wall time (s)'
set title 'wall time'
plot 'stochastic-paths-60000.dat' index 0 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#000000' title 'full batch, pair 0-1', \
  'stochastic-paths-60000.dat' index 1 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#c0392b' title 'B = 500, pair 0-1', \
  'stochastic-paths-60000.dat' index 2 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#27ae60' title 'B = 2000, pair 0-1', \
  'stochastic-paths-60000.dat' index 3 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#2471a3' title 'B = 8000, pair 0-1', \
  'stochastic-paths-60000.dat' index 4 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#000000' title 'full batch, pair 2-3', \
  'stochastic-paths-60000.dat' index 5 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#c0392b' title 'B = 500, pair 2-3', \
  'stochastic-paths-60000.dat' index 6 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#27ae60' title 'B = 2000, pair 2-3', \
  'stochastic-paths-60000.dat' index 7 using 1:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#2471a3' title 'B = 8000, pair 2-3'
set key off
set xlabel 'CPU time, 2 threads (s)'
set title 'CPU time'
plot 'stochastic-paths-60000.dat' index 0 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#000000' title 'full batch, pair 0-1', \
  'stochastic-paths-60000.dat' index 1 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#c0392b' title 'B = 500, pair 0-1', \
  'stochastic-paths-60000.dat' index 2 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#27ae60' title 'B = 2000, pair 0-1', \
  'stochastic-paths-60000.dat' index 3 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 1 lc rgb '#2471a3' title 'B = 8000, pair 0-1', \
  'stochastic-paths-60000.dat' index 4 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#000000' title 'full batch, pair 2-3', \
  'stochastic-paths-60000.dat' index 5 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#c0392b' title 'B = 500, pair 2-3', \
  'stochastic-paths-60000.dat' index 6 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#27ae60' title 'B = 2000, pair 2-3', \
  'stochastic-paths-60000.dat' index 7 using 4:2 with linespoints lw 2 pt 7 ps 0.5 dt 2 lc rgb '#2471a3' title 'B = 8000, pair 2-3'
unset multiplot
