# The evidence behind row 7b's setup (benchmarks/README.md, note 7c): SMC-R between two addresses
# of one network namespace, when their traffic goes over lo, with a PNET ID given to lo and to one
# Soft-RoCE device. SMC-R is proposed, and the link's confirmation then times out (decline
# 0x02010000, TIMEOUT_CL): rxe sends its packets, and the ones that come back on lo find no rxe
# device (rxe_udp_encap_recv looks the device up by skb->dev). Runs in a lab guest, a minute or two
# under TCG:
#    deploy/lab/run-in-vm.sh -t stock -a tcg -c 1 benchmarks/smc-vs-tcp/smcr-lo-probe.sh
# (needs benchmarks/build/netbench: any benchmark script builds it). Prints the client's smc_diag
# view and rxe0's packet counters; exit 0 either way (a probe, not a test).
set -u
R=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NB=$R/benchmarks/build/netbench T=$R/deploy/lab/guest/labtool.py
[ -x "$NB" ] || { echo "probe: $NB missing (run any benchmark once to build it)"; exit 1; }
ip link set lo up; modprobe smc; modprobe smc_diag; modprobe rdma_rxe
ip link add d0 type dummy && ip link set d0 up && ip addr add 10.9.0.1/24 dev d0
rdma link add rxe0 type rxe netdev d0
echo "probe: route to 10.9.0.1: $(ip route get 10.9.0.1 | head -1)"
python3 "$T" ueid add SMCVERTX-LAB
python3 "$T" pnet add PNETLO --eth lo
python3 "$T" pnet add PNETLO --ib rxe0 --port 1
"$NB" serve-echo 10.9.0.1:19400 --smc > /tmp/echo.log 2>&1 &
sleep 1
echo "probe: client: $(NETBENCH_MODES=1 timeout 100 "$NB" rr 10.9.0.1 19400 64 1 1 --smc)"
echo "probe: rxe0 sent_pkts,rcvd_pkts: $(cat /sys/class/infiniband/rxe0/ports/1/hw_counters/{sent_pkts,rcvd_pkts} | paste -sd,)"
kill %1 2>/dev/null
exit 0
