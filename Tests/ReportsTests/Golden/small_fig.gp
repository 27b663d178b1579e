# small_fig: written by rarlhf's Reports module
set encoding utf8
$d0 << EOD
0 1 0.5
1 NaN NaN
2 3 0.25
EOD
set terminal pdfcairo size 3.25in,2.2in font 'Nimbus Sans,7' rounded background '#ffffff' noenhanced
set output '/out/small_fig.pdf'
set title 'it''s 5% of {run_1}'
set xlabel 'Iteration'
set ylabel 'Reward'
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
set border 3 lw 0.5
set tics nomirror out scale 0.5
set grid lt 1 lc rgb '#e0e0e0' lw 0.5
set key below horizontal samplen 2 spacing 1 height 1
set offsets
plot $d0 using 1:($2-$3):($2+$3) with filledcurves fc rgb '#0072B2' fs transparent solid 0.2 noborder notitle, \
  $d0 using 1:2 with lines lc rgb '#0072B2' dt 1 lw 1.5 title 'RLHF', \
  2 with lines lc rgb '#000000' dt 2 lw 1 notitle
unset output
set terminal svg size 234,158 fixed font 'Nimbus Sans,7' rounded background '#ffffff' noenhanced
set output '/out/small_fig.svg'
set title 'it''s 5% of {run_1}'
set xlabel 'Iteration'
set ylabel 'Reward'
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
set border 3 lw 0.5
set tics nomirror out scale 0.5
set grid lt 1 lc rgb '#e0e0e0' lw 0.5
set key below horizontal samplen 2 spacing 1 height 1
set offsets
plot $d0 using 1:($2-$3):($2+$3) with filledcurves fc rgb '#0072B2' fs transparent solid 0.2 noborder notitle, \
  $d0 using 1:2 with lines lc rgb '#0072B2' dt 1 lw 1.5 title 'RLHF', \
  2 with lines lc rgb '#000000' dt 2 lw 1 notitle
unset output
set terminal pngcairo size 975,660 font 'Nimbus Sans,7' fontscale 4.1667 linewidth 4.1667 rounded background '#ffffff' noenhanced
set output '/out/it''s.png'
set title 'it''s 5% of {run_1}'
set xlabel 'Iteration'
set ylabel 'Reward'
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
set border 3 lw 0.5
set tics nomirror out scale 0.5
set grid lt 1 lc rgb '#e0e0e0' lw 0.5
set key below horizontal samplen 2 spacing 1 height 1
set offsets
plot $d0 using 1:($2-$3):($2+$3) with filledcurves fc rgb '#0072B2' fs transparent solid 0.2 noborder notitle, \
  $d0 using 1:2 with lines lc rgb '#0072B2' dt 1 lw 1.5 title 'RLHF', \
  2 with lines lc rgb '#000000' dt 2 lw 1 notitle
unset output
