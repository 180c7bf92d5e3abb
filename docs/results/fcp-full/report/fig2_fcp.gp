set terminal pngcairo size 800,500 noenhanced
set output 'fig2_fcp.png'
set logscale y
set xlabel 'epoch (SGD) / iteration (L-BFGS-GSS)'
set ylabel 'training loss'
set title 'FCP: training loss of every run'
plot for [i=0:9] 'fig2_fcp.dat' index i using 1:2 with lines lc rgb '#c0392b' notitle, for [i=10:19] 'fig2_fcp.dat' index i using 1:2 with lines lc rgb '#2471a3' notitle, NaN with lines lc rgb '#c0392b' title 'L-BFGS-GSS', NaN with lines lc rgb '#2471a3' title 'SGD'
set terminal svg size 800,500 noenhanced
set output 'fig2_fcp.svg'
replot
