# The Hessian, Gauss-Newton and empirical-Fisher eigenvalue densities of one FCP minimum
# (docs/studies/hessian.md). Data: `landscape hessian --arch fcp --weights
# docs/results/fcp-full/study/fcp/sgd/w_train.npy --rows 0 --images 1000 --iterations 40 --probes 10
# --curvature C --out DIR` for C = hessian, ggn, fisher; each DIR/density.csv's t,density as one block.
set terminal pngcairo size 1100,420 font ",10" noenhanced
set output 'curvature_densities_fcp.png'
set multiplot layout 1,3 title 'FCP, SGD minimum at 60,000 images (1000 images): SLQ eigenvalue densities'
set logscale y
set format y '1e%L'
set yrange [1e-6:*]
set xlabel 'eigenvalue'
set ylabel 'density'
set title 'Hessian (lambda_max 0.647, lambda_min -0.0027)'
plot 'curvature_densities_fcp.dat' index 0 with lines lw 2 lc rgb '#c0392b' notitle
set title 'Gauss-Newton (lambda_max 0.646, lambda_min >= 0)'
plot 'curvature_densities_fcp.dat' index 1 with lines lw 2 lc rgb '#2471a3' notitle
set title 'empirical Fisher (lambda_max 0.0163)'
set xtics 0.005
plot 'curvature_densities_fcp.dat' index 2 with lines lw 2 lc rgb '#1e8449' notitle
unset multiplot
