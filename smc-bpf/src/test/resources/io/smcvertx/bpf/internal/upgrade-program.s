	r6 = r1
	r2 = *(u64 *)(r6 + 0)
	if w2 == 2 goto L_TYPE
	if w2 != 10 goto L_NO
L_TYPE:
	r2 = *(u64 *)(r6 + 8)
	w2 &= 15
	if w2 != 1 goto L_NO
	r2 = *(u64 *)(r6 + 16)
	if w2 == 0 goto L_SEL
	if w2 != 6 goto L_NO
L_SEL:
	call 80
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 1
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 2
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 3
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 4
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 5
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 6
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 7
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 8
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 9
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 10
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 11
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 12
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 13
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 14
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 15
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
	r1 = 16
	call 123
	if r0 == 0 goto L_NO
	*(u64 *)(r10 - 8) = r0
	r2 = r10
	r2 += -8
	r1 = 7 ll
	call 1
	if r0 != 0 goto L_YES
L_NO:
	r0 = 0
	exit
L_YES:
	r0 = 256
	exit
