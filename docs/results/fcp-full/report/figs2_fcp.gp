set terminal pngcairo size 800,500 noenhanced
set output 'figs2_fcp.png'
set xlabel 'barrier height H (test landscape)'
set title 'FCP: FourierPathFinder barrier heights within each set'
set ytics ('lbfgs-train (8)' 0, 'lbfgs-test (8)' 1, 'sgd-train (8)' 2, 'sgd-test (8)' 3)
set yrange [4 - 0.3:-0.7]
set grid xtics
set key off
set label 1 'bar: median' at graph 0.99, graph 0.04 right
plot 'figs2_fcp.dat' index 0 using 1:2 with points pt 7 ps 1.3 lc rgb '#c0392b' notitle, 'figs2_fcp.dat' index 1 using 1:2:3:4 with vectors nohead lw 3 lc rgb '#c0392b' notitle, 'figs2_fcp.dat' index 2 using 1:2 with points pt 7 ps 1.3 lc rgb '#e59866' notitle, 'figs2_fcp.dat' index 3 using 1:2:3:4 with vectors nohead lw 3 lc rgb '#e59866' notitle, 'figs2_fcp.dat' index 4 using 1:2 with points pt 7 ps 1.3 lc rgb '#2471a3' notitle, 'figs2_fcp.dat' index 5 using 1:2:3:4 with vectors nohead lw 3 lc rgb '#2471a3' notitle, 'figs2_fcp.dat' index 6 using 1:2 with points pt 7 ps 1.3 lc rgb '#85c1e9' notitle, 'figs2_fcp.dat' index 7 using 1:2:3:4 with vectors nohead lw 3 lc rgb '#85c1e9' notitle
set terminal svg size 800,500 noenhanced
set output 'figs2_fcp.svg'
replot
