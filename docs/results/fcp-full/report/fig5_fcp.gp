set terminal pngcairo size 800,500 noenhanced
set output 'fig5_fcp.png'
set xlabel 'distance |w - origin|'
set title 'FCP: distance to the midpoint of the two centroids'
set ytics ('lbfgs-train (8)' 0, 'sgd-test (8)' 1)
set yrange [2 - 0.3:-0.7]
set grid xtics
set key off
set label 1 'bar: median' at graph 0.99, graph 0.04 right
plot 'fig5_fcp.dat' index 0 using 1:2 with points pt 7 ps 1.3 lc rgb '#c0392b' notitle, 'fig5_fcp.dat' index 1 using 1:2:3:4 with vectors nohead lw 3 lc rgb '#c0392b' notitle, 'fig5_fcp.dat' index 2 using 1:2 with points pt 7 ps 1.3 lc rgb '#85c1e9' notitle, 'fig5_fcp.dat' index 3 using 1:2:3:4 with vectors nohead lw 3 lc rgb '#85c1e9' notitle
set terminal svg size 800,500 noenhanced
set output 'fig5_fcp.svg'
replot
