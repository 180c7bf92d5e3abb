set terminal pngcairo size 1000,450 noenhanced
set output 'fig6_fcp.png'
set multiplot layout 1,2 title 'FCP: L-BFGS train (red) and SGD test (blue) vectors'
set xlabel 'PC1'
set ylabel 'PC2'
set title 'RBF kernel PCA (2 sigma^2 = P)'
plot 'fig6_fcp.dat' index 0 with points pt 7 lc rgb '#c0392b' notitle, 'fig6_fcp.dat' index 1 with points pt 7 lc rgb '#2471a3' notitle
set title 'linear PCA'
plot 'fig6_fcp.dat' index 2 with points pt 7 lc rgb '#c0392b' notitle, 'fig6_fcp.dat' index 3 with points pt 7 lc rgb '#2471a3' notitle
unset multiplot
set terminal svg size 1000,450 noenhanced
set output 'fig6_fcp.svg'
replot
